using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Platform.Cli;
using Switchboard.Platform.Database;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Failover;

/// <summary>
/// The app over a pg_auto_failover formation (ADR 0069), connected with the multi-host string an operator would use —
/// not over the suite's shared cluster, so it builds its database itself: setup a) of the README (one role owns the
/// database) on the primary, replicated to the standby, and migrations applied by the app's own startup. Reports,
/// exports and search go to the standby (ADR 0070) as the admin guide sets it up.
/// </summary>
public sealed class FailoverHost : IAsyncLifetime
{
    private const string RolePassword = "failover-role-pw";
    public const string StandbyApplicationName = "switchboard-reads";
    private WebApplication? _app;

    public TestFailoverCluster Cluster { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await TestFailoverCluster.StartAsync();
        await ExecuteAsync(Cluster.Superuser(Cluster.Node1Port), $"""
            create role switchboard login nosuperuser nocreatedb nocreaterole nobypassrls password '{RolePassword}';
            grant pg_read_all_stats to switchboard;
            """);
        await ExecuteAsync(Cluster.Superuser(Cluster.Node1Port), "create database switchboard owner switchboard");
        await ExecuteAsync(Cluster.Superuser(Cluster.Node1Port, "switchboard"), """
            create extension if not exists pg_trgm;
            alter function word_similarity_commutator_op(text, text) leakproof;
            alter function textlike(text, text) leakproof;
            alter function texticlike(text, text) leakproof;
            """);
        var settings = new Dictionary<string, string?>
        {
            [DatabaseConnections.RuntimeKey] = Cluster.MultiHost("switchboard", "switchboard", RolePassword),
            // Reports, exports and search on the standby (ADR 0070), named so the nodes' pg_stat_activity shows where they ran.
            [DatabaseConnections.StandbyKey] = Cluster.MultiHost("switchboard", "switchboard", RolePassword, "prefer-standby") + $";Application Name={StandbyApplicationName}",
            // Generous: on a loaded test machine replay can trail by more than the default 250 ms, and a read the primary
            // served would not show where standby reads run. The test that pauses replay waits this long per read.
            ["Database:StandbyWaitMilliseconds"] = "3000",
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_LOG") ?? "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware"] = "None",
            ["Identity:PasswordHashIterations"] = "1000",
            ["Observability:BacklogCacheSeconds"] = "1",
        };
        foreach (var (key, value) in SwitchboardHost.Unthrottled) settings[key] = value;
        _app = Program.BuildApp([], settings, _ => { });
        await _app.Services.GetRequiredService<DatabaseStartup>().RunAsync(CancellationToken.None);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await Superadmins.EnsureAsync(_app.Services, SwitchboardHost.SuperadminEmail, SwitchboardHost.Password, CancellationToken.None);
    }

    /// <summary>A superadmin's API client in a new tenant of that slug.</summary>
    public async Task<HttpClient> SuperadminInNewTenantAsync(string slug)
    {
        var root = await LoginAsync(null);
        (await root.PostAsJsonAsync("/api/v1/tenants", new { name = slug, slug, timeZone = "UTC", currency = "USD", defaultCountry = "US" })).EnsureSuccessStatusCode();
        return await LoginAsync(slug);
    }

    public async Task<HttpClient> LoginAsync(string? tenant)
    {
        using var anonymous = new HttpClient { BaseAddress = BaseAddress };
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = SwitchboardHost.SuperadminEmail, password = SwitchboardHost.Password, tenant });
        response.EnsureSuccessStatusCode();
        var tokens = (await response.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>())!;
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            _app.Services.GetRequiredService<DatabaseConnections>().ClearPools();
            await _app.DisposeAsync();
        }
        await Cluster.DisposeAsync();
    }
}
