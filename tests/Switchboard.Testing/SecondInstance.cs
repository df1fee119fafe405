using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Platform.Database;

namespace Switchboard.Testing;

/// <summary>
/// Another app instance on a database that a <see cref="SwitchboardHost"/> already migrated: the
/// several-instances-behind-a-load-balancer setup, for tests of what instances share through PostgreSQL.
/// Disposing stops the instance and leaves the database to its host.
/// </summary>
public sealed class SecondInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SecondInstance(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<SecondInstance> StartAsync(TestDatabase database, IDictionary<string, string?>? extraSettings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [DatabaseConnections.RuntimeKey] = database.RuntimeConnectionString,
            [DatabaseConnections.OwnerKey] = database.OwnerConnectionString,
            ["Database:ApplyMigrationsOnStartup"] = "false",
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Identity:PasswordHashIterations"] = "1000",
            ["Security:SignInAttemptsPerMinute"] = "100000",
            // The fake providers listen on loopback over http.
            ["Security:AllowPrivateNetworkUrls"] = "true",
        };
        foreach (var (key, value) in SwitchboardHost.Unthrottled) settings[key] = value;
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>()) settings[key] = value;
        var app = Program.BuildApp([], settings, configureServices);
        await app.Services.GetRequiredService<DatabaseStartup>().RunAsync(CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SecondInstance(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
