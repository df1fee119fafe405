using Microsoft.AspNetCore.Identity;

namespace Switchboard.Platform.Identity;

public sealed class PasswordHashingOptions : IValidatedOptions
{
    public const string Section = "Identity";

    /// <summary>
    /// PBKDF2 work factor for new hashes (Identity's default is 100,000). Each hash records its own count, so raising
    /// it later keeps old hashes valid. The test suite lowers it: it hashes thousands of passwords.
    /// </summary>
    public int PasswordHashIterations { get; set; } = 100_000;

    public IEnumerable<string> Problems()
    {
        if (PasswordHashIterations is < 1_000 or > 10_000_000) yield return "Identity:PasswordHashIterations must be between 1000 and 10000000.";
    }

    public static void Register(IServiceCollection services)
    {
        services.AddValidatedOptions<PasswordHashingOptions>(Section);
        services.AddOptions<PasswordHasherOptions>().Configure<IOptions<PasswordHashingOptions>>((o, hashing) =>
            o.IterationCount = hashing.Value.PasswordHashIterations);
    }
}
