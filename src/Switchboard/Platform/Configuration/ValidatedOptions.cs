using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Switchboard.Platform.Configuration;

/// <summary>Options that check themselves; each problem is one sentence that starts with the setting's name.</summary>
public interface IValidatedOptions
{
    IEnumerable<string> Problems();
}

public static class ValidatedOptions
{
    /// <summary>Binds the section, validates with <see cref="IValidatedOptions.Problems"/> and checks it before startup (see <see cref="StartupSettings"/>).</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class, IValidatedOptions
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, ProblemsValidation<T>>());
        services.TryAddSingleton<StartupSettings>();
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class ProblemsValidation<T> : IValidateOptions<T> where T : class, IValidatedOptions
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
