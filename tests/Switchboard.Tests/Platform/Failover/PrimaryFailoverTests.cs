using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shouldly;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Failover;

/// <summary>
/// A primary and a synchronous standby under pg_auto_failover (ADR 0069), the app on a multi-host connection string.
/// The primary's node dies (keeper and PostgreSQL killed together) under a steady stream of lead creates: the monitor
/// promotes the standby, the app finds it by itself — its LISTEN connections too — and every create the app
/// acknowledged is there exactly once.
/// How fast that happens is measured by bench/failover/run.sh, never asserted here.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class PrimaryFailoverTests(FailoverHost host) : IClassFixture<FailoverHost>
{
    [Fact]
    public async Task After_the_primary_dies_the_app_writes_to_the_promoted_standby_and_keeps_every_acknowledged_write()
    {
        var client = await host.SuperadminInNewTenantAsync("failover");
        var before = await host.Cluster.PrimaryAsync();
        var status = await StatusAsync(client);
        // Not vacuous: replication is real before the failure, and the status endpoint reads it on the primary.
        status.GetProperty("replication").GetProperty("role").GetString().ShouldBe("primary");
        status.GetProperty("replication").GetProperty("standbys").GetInt32().ShouldBe(1);
        status.GetProperty("replication").GetProperty("lagSeconds").ValueKind.ShouldBe(JsonValueKind.Number);
        status.GetProperty("standbyReads").GetBoolean().ShouldBeTrue("FailoverHost sends reports, exports and search to the standby");
        // The standby reports itself as one, and no lag once it has replayed everything it received (migration 0051).
        var standby = host.Cluster.PortOf(before == "node1" ? "node2" : "node1");
        await Eventually.Until(() => StandbyReplicationAsync(standby), r => r == (true, 0.0), TimeSpan.FromSeconds(30), "the standby to report itself caught up");

        var listening = await ListenersAsync(host.Cluster.Superuser(host.Cluster.PortOf(before), "switchboard"));
        listening.ShouldContain("listen switchboard_jobs");

        var acknowledged = new ConcurrentBag<(string Name, DateTimeOffset Started)>();
        var failures = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var name = $"w{w}n{n}";
                var started = DateTimeOffset.UtcNow;
                try
                {
                    var response = await client.PostAsJsonAsync("/api/v1/leads", new { firstName = "Failover", lastName = name, company = "Failover test" });
                    if (response.StatusCode == HttpStatusCode.Created) acknowledged.Add((name, started));
                    else failures.Add($"{(int)response.StatusCode}");
                }
                catch (HttpRequestException e)
                {
                    failures.Add(e.Message);
                }
            }
        })).ToList();
        await Eventually.Until(() => Task.FromResult(acknowledged.Count >= 50), TimeSpan.FromSeconds(30), "writes before the failure");

        var killedAt = DateTimeOffset.UtcNow;
        await host.Cluster.KillNodeAsync(before);
        var after = await Eventually.Until(async () => await host.Cluster.PrimaryAsync(), node => node != "" && node != before, TimeSpan.FromSeconds(60), "the monitor to promote the standby");
        await Eventually.Until(() => Task.FromResult(acknowledged.Count(a => a.Started > killedAt) >= 20), TimeSpan.FromSeconds(60), "acknowledged writes started after the failure");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        // The wake-up and live-page listeners reconnected by themselves, to the new primary.
        await Eventually.Until(() => ListenersAsync(host.Cluster.Superuser(host.Cluster.PortOf(after), "switchboard")),
            now => listening.All(now.Contains), TimeSpan.FromSeconds(60), $"the app's LISTEN connections ({string.Join(", ", listening)}) on the new primary");
        var stored = await LeadNamesAsync(host.Cluster.Superuser(host.Cluster.PortOf(after), "switchboard"));
        acknowledged.Select(a => a.Name).Except(stored).ShouldBeEmpty("acknowledged writes missing after the failover");
        stored.GroupBy(name => name).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty("writes stored twice");
        failures.Where(f => f != "503").ShouldBeEmpty("during the failover the API answers 503 (retry), never 500");
    }

    private static async Task<JsonElement> StatusAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/status");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<(bool InRecovery, double? Lag)> StandbyReplicationAsync(int port)
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=switchboard;Database=switchboard;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select in_recovery, lag_seconds from observability_replication()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetDouble(1));
    }

    /// <summary>The app's listening sessions on a node: their last statement, a LISTEN, stays in pg_stat_activity while they wait.</summary>
    private static async Task<List<string>> ListenersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select distinct lower(query) from pg_stat_activity where datname = current_database() and query ilike 'listen %' order by 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var channels = new List<string>();
        while (await reader.ReadAsync()) channels.Add(reader.GetString(0));
        return channels;
    }

    private static async Task<List<string>> LeadNamesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select last_name from leads where company = 'Failover test'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }
}
