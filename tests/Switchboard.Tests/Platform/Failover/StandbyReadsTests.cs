using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shouldly;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Failover;

/// <summary>
/// Reports, exports and search read from the synchronous standby (ADR 0070) with <c>prefer-standby</c>, after the
/// standby has replayed what the primary had written when the read began: what a user just wrote is in what they read
/// next. Where each read ran is read from the nodes themselves (pg_stat_activity, by the standby connection's
/// application name), not from the app's own account of it.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class StandbyReadsTests(FailoverHost host) : IClassFixture<FailoverHost>
{
    [Fact]
    public async Task Reports_exports_and_search_run_on_the_standby_and_see_the_write_made_just_before()
    {
        var client = await host.SuperadminInNewTenantAsync("standby-reads");
        var (primary, standby) = await NodesAsync();

        var lead = await CreateLeadAsync(client, "Quillon", "Standbyworth");
        var searched = await NowAsync(standby);
        (await SearchAsync(client, "Standbyworth")).ShouldContain(lead, "search sees the lead created just before");
        // The search's last statement is its transaction's COMMIT (a fallback would leave the catch-up check there).
        await ShouldShowAsync(standby, r => r.LastUsed >= searched && r.Query == "COMMIT", "the search ran on the standby");

        var csv = await client.GetStringAsync("/api/v1/leads/export");
        csv.ShouldContain("Standbyworth", customMessage: "the export has the lead created just before");
        await ShouldShowAsync(standby, r => r.Query.Contains("FROM leads AS l"), "the export's rows came from the standby");

        var report = await client.GetAsync($"/api/v1/reports/calls?from={DateTime.UtcNow:yyyy-MM-dd}&to={DateTime.UtcNow:yyyy-MM-dd}&groupBy=day");
        report.EnsureSuccessStatusCode();
        await ShouldShowAsync(standby, r => r.Query.Contains("call_analyses"), "the report ran on the standby");

        // The export's audit row is a write: it went to the primary. The read pool's connection there ran none of the
        // reads, only Npgsql's own bookkeeping: it opens one connection to each host to learn which is which (loading its
        // types), and once the host's state is older than Host Recheck Seconds it asks again on that idle connection.
        (await ScalarAsync<long>(host.Cluster.Superuser(primary, "switchboard"), "select count(*) from audit_log where action = 'export.downloaded'")).ShouldBe(1);
        var onPrimary = await StandbyReadsAsync(primary);
        if (!onPrimary.All(r => r.Query.StartsWith("SELECT version()") || r.Query == NpgsqlHostStateCheck))
            throw new ShouldAssertException($"prefer-standby sends no read to the primary while the standby is up. {await WhereReadsWentAsync(onPrimary)}");
    }

    [Fact]
    public async Task A_standby_that_has_not_replayed_the_latest_write_hands_the_read_to_the_primary()
    {
        var client = await host.SuperadminInNewTenantAsync("standby-behind");
        var (_, standby) = await NodesAsync();
        var superuser = host.Cluster.Superuser(standby, "switchboard");
        await FailoverHost.ExecuteAsync(superuser, "select pg_wal_replay_pause()");
        try
        {
            await Eventually.Until(() => ScalarAsync<string>(superuser, "select pg_get_wal_replay_pause_state()"), s => s == "paused",
                TimeSpan.FromSeconds(10), "replay to pause on the standby");
            var lead = await CreateLeadAsync(client, "Paulina", "Pausedley");
            // Not vacuous: the standby really does not have the lead, so a search it served could not find it.
            (await ScalarAsync<long>(superuser, "select count(*) from leads where last_name = 'Pausedley'")).ShouldBe(0);

            (await SearchAsync(client, "Pausedley")).ShouldContain(lead, "the primary served the search the standby was too far behind for");
            var csv = await client.GetStringAsync("/api/v1/leads/export");
            csv.ShouldContain("Pausedley");
        }
        finally
        {
            await FailoverHost.ExecuteAsync(superuser, "select pg_wal_replay_resume()");
        }

        // Caught up again, the standby serves: the next write is there as soon as the search runs.
        var next = await CreateLeadAsync(client, "Resa", "Resumington");
        var searched = await NowAsync(standby);
        (await SearchAsync(client, "Resumington")).ShouldContain(next);
        await ShouldShowAsync(standby, r => r.LastUsed >= searched && r.Query == "COMMIT", "the standby serves again once it has caught up");
    }

    /// <summary>The last statement of the batch Npgsql sends to recheck whether a host is a primary or a standby.</summary>
    private const string NpgsqlHostStateCheck = "SHOW default_transaction_read_only";

    private async Task<(int Primary, int Standby)> NodesAsync()
    {
        var primary = await host.Cluster.PrimaryAsync();
        return (host.Cluster.PortOf(primary), host.Cluster.PortOf(primary == "node1" ? "node2" : "node1"));
    }

    private static async Task<Guid> CreateLeadAsync(HttpClient client, string firstName, string lastName)
    {
        var response = await client.PostAsJsonAsync("/api/v1/leads", new { firstName, lastName, company = "Standby reads" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<List<Guid>> SearchAsync(HttpClient client, string q)
    {
        var response = await client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}");
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("leads").EnumerateArray().Select(hit => hit.GetProperty("id").GetGuid())];
    }

    /// <summary>
    /// One of the app's standby-read connections on the node shows what <paramref name="ran"/> looks for. A failure lists
    /// them all and where the app says its reads went, so a log of a failed run tells a fallback to the primary from a
    /// connection that closed.
    /// </summary>
    private async Task ShouldShowAsync(int port, Func<(string Query, DateTime LastUsed), bool> ran, string because)
    {
        var reads = await StandbyReadsAsync(port);
        if (!reads.Any(ran)) throw new ShouldAssertException($"{because}: no read connection on port {port} shows it. {await WhereReadsWentAsync(reads)}");
    }

    private async Task<string> WhereReadsWentAsync(List<(string Query, DateTime LastUsed)> reads)
    {
        var listed = reads.Count == 0 ? "none" : string.Join(" | ", reads.Select(r => $"{r.LastUsed:HH:mm:ss.fff} {r.Query[..Math.Min(120, r.Query.Length)]}"));
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var served = (await client.GetStringAsync("/metrics")).Split('\n').Where(line => line.StartsWith("switchboard_db_standby_reads_total", StringComparison.Ordinal));
        return $"The node's read connections: {listed}. The app's count of where reads went: {string.Join("; ", served)}.";
    }

    /// <summary>
    /// The app's standby-read connections on a node: each one's last statement and when it last changed state. A pooled
    /// connection keeps both in pg_stat_activity while it sits idle, and a request holds one connection for all its reads.
    /// </summary>
    private async Task<List<(string Query, DateTime LastUsed)>> StandbyReadsAsync(int port)
    {
        await using var connection = new NpgsqlConnection(host.Cluster.Superuser(port, "switchboard"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select query, state_change from pg_stat_activity where application_name = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = FailoverHost.StandbyApplicationName } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var reads = new List<(string, DateTime)>();
        while (await reader.ReadAsync()) reads.Add((reader.GetString(0), reader.GetDateTime(1)));
        return reads;
    }

    /// <summary>The node's clock (the same machine's, read where pg_stat_activity's times come from).</summary>
    private Task<DateTime> NowAsync(int port) => ScalarAsync<DateTime>(host.Cluster.Superuser(port, "switchboard"), "select now()");

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
