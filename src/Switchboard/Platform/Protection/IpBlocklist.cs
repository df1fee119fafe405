using System.Net;
using Npgsql;

namespace Switchboard.Platform.Protection;

/// <summary>A block in force: the addresses it covers, why, and until when (null: until lifted).</summary>
public sealed record ActiveBlock(Guid Id, string Network, string Reason, string Source, DateTimeOffset? ExpiresAt)
{
    private readonly IPNetwork _block = IPNetwork.Parse(Network);

    public bool Covers(IPAddress address, DateTimeOffset now) => (ExpiresAt is null || ExpiresAt > now) && _block.Contains(address);
}

/// <summary>
/// The platform IP blocklist as every request checks it, first of all: an in-memory copy of the blocks in force, so the
/// check costs no database round trip. The copy is read again when it is <see cref="AbuseOptions.IpBlocklistRefreshSeconds"/>
/// old (by the app's clock), by one request while the others go on with the copy they have; a block made or lifted on
/// this instance changes the copy at once. So a block reaches every instance within the refresh interval (ADR 0046).
/// </summary>
[Singleton]
public sealed class IpBlocklist(DatabaseConnections connections, TimeProvider clock, IOptions<AbuseOptions> options, ILogger<IpBlocklist> log)
{
    private const string Sql = """
        select id, network, reason, source, expires_at from ip_blocks
        where lifted_at is null and (expires_at is null or expires_at > $1)
        """;

    private sealed record Snapshot(IReadOnlyList<ActiveBlock> Blocks, DateTimeOffset LoadedAt);

    private volatile Snapshot? _snapshot;
    private int _refreshing;

    /// <summary>The block that covers <paramref name="address"/> now, if any.</summary>
    public async ValueTask<ActiveBlock?> FindAsync(IPAddress? address, CancellationToken ct)
    {
        if (address is null) return null;
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var now = clock.GetUtcNow();
        var snapshot = await CurrentAsync(now, ct);
        foreach (var block in snapshot.Blocks)
            if (block.Covers(plain, now)) return block;
        return null;
    }

    /// <summary>Takes a block made on this instance into the copy at once.</summary>
    public void Add(ActiveBlock block)
    {
        if (_snapshot is { } current) _snapshot = current with { Blocks = [.. current.Blocks.Where(b => b.Id != block.Id), block] };
    }

    /// <summary>Drops a block lifted on this instance from the copy at once.</summary>
    public void Remove(Guid id)
    {
        if (_snapshot is { } current) _snapshot = current with { Blocks = [.. current.Blocks.Where(b => b.Id != id)] };
    }

    private async ValueTask<Snapshot> CurrentAsync(DateTimeOffset now, CancellationToken ct)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.LoadedAt.AddSeconds(options.Value.IpBlocklistRefreshSeconds) > now) return snapshot;
        // One request reads it again; the others keep the copy they have (the first ever read waits like that one).
        if (Interlocked.CompareExchange(ref _refreshing, 1, 0) != 0 && snapshot is not null) return snapshot;
        try
        {
            return _snapshot = new Snapshot(await LoadAsync(now, ct), now);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The database is away for a moment (or not migrated yet, as /health/ready reports): keep the blocks known, or
            // none before the first read, and try again at the next request. The request itself is still answered.
            log.LogWarning(e, "Could not read the IP blocklist; using {Copy}.", snapshot is null ? "no blocks until it can be read" : $"the copy from {snapshot.LoadedAt:O}");
            return snapshot ?? new Snapshot([], DateTimeOffset.MinValue);
        }
        finally
        {
            Interlocked.Exchange(ref _refreshing, 0);
        }
    }

    private async Task<IReadOnlyList<ActiveBlock>> LoadAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connections.Runtime);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(Sql, connection) { Parameters = { new() { Value = now } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var blocks = new List<ActiveBlock>();
        while (await reader.ReadAsync(ct))
            blocks.Add(new ActiveBlock(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        return blocks;
    }
}
