using Switchboard.Platform.Cli;

namespace Switchboard.Features.Demo;

/// <summary>The demo tenant (Acme Inc) that `switchboard run` writes on the first start of its embedded database.</summary>
public static class DemoComposition
{
    public static IServiceCollection AddDemoData(this IServiceCollection services) => services.AddSingleton<IFirstStartSeeder, DemoFirstStart>();

    private sealed class DemoFirstStart : IFirstStartSeeder
    {
        public Task SeedOnFirstStartAsync(IServiceProvider services, CancellationToken ct) => DemoSeeder.SeedOnFirstStartAsync(services, ct);

        public string Banner => $"Demo sign-ins (password: {DemoSeeder.Password}): {string.Join(", ", DemoSeeder.Emails)}";
    }
}
