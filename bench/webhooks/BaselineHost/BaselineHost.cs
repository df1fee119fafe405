using Switchboard.Features.Demo;
using Switchboard.Platform.Cli;
using Switchboard.Platform.Database;

namespace Switchboard.Bench;

/// <summary>
/// The app exactly as <c>switchboard run</c> starts it (embedded PostgreSQL, demo data), plus
/// <see cref="BaselineEndpoint"/>. Arguments are the app's: <c>run --urls http://127.0.0.1:PORT</c>.
/// </summary>
public static class BaselineHost
{
    public static async Task<int> Main(string[] args)
    {
        var rest = args.Length > 0 && args[0] == "run" ? args[1..] : args;
        await using var database = await EmbeddedDatabase.AttachAsync(rest, allowEmbedded: true);
        var app = Program.BuildApp(rest, database.Settings);
        app.MapBaselineEndpoint();
        await app.Services.GetRequiredService<DatabaseStartup>().RunAsync(CancellationToken.None);
        if (database.IsEmbedded) await DemoSeeder.SeedOnFirstStartAsync(app.Services, CancellationToken.None);
        await app.RunAsync();
        return 0;
    }
}
