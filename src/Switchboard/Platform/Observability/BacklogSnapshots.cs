using Npgsql;

namespace Switchboard.Platform.Observability;

/// <summary>One queue's waiting work: <see cref="Queue"/> job/webhook/email/outreach; <see cref="Kind"/> the job kind (else empty).</summary>
public sealed record QueueBacklog(string Queue, string Kind, long Depth, long Due, DateTimeOffset? OldestDueAt)
{
    /// <summary>Seconds the longest-waiting due item had waited when the backlog was read; 0 when nothing was due.</summary>
    public double OldestDueAge(DateTimeOffset readAt) => OldestDueAt is { } at ? Math.Max(0, (readAt - at).TotalSeconds) : 0;
}

public sealed record LiveCalls(string Status, long Count);

/// <summary>Replication as this database server sees it (observability_replication() in migration 0049).</summary>
public sealed record Replication(bool IsStandby, int? Standbys, double? LagSeconds)
{
    /// <summary>False for a lone primary: nothing replicates.</summary>
    public bool Replicates => IsStandby || Standbys > 0;
}

public sealed record Backlog(DateTimeOffset ReadAt, IReadOnlyList<QueueBacklog> Queues, IReadOnlyList<LiveCalls> LiveCalls, Replication Replication);

/// <summary>
/// The backlog across tenants (observability_backlog() in migration 0049) and the replication lag, read at most once per
/// Observability:BacklogCacheSeconds. <see cref="Read"/> never blocks a scrape for long: a stale snapshot is served while
/// a fresh one is read in the background; only the very first read waits (briefly) so a first scrape has numbers.
/// </summary>
[Singleton]
public sealed class BacklogSnapshots(DatabaseConnections connections, IOptions<ObservabilityOptions> options, TimeProvider clock, ILogger<BacklogSnapshots> logger)
{
    private static readonly TimeSpan FirstReadWait = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Backlog? _current;
    private Task? _first;

    public Backlog? Current => _current;

    /// <summary>Why the last background read failed (null after a good one): logged, and shown to tests.</summary>
    public string? LastError { get; private set; }

    public Backlog? Read()
    {
        var current = _current;
        if (current is not null && clock.GetUtcNow() - current.ReadAt < options.Value.BacklogCache) return current;
        var refresh = RefreshInBackground();
        if (current is null)
        {
            var first = _first ??= refresh;
            first.Wait(FirstReadWait);
            if (first.IsCompleted) _first = null;
        }
        return _current;
    }

    /// <summary>A fresh snapshot now (the status endpoint), which also refreshes the cache.</summary>
    public async Task<Backlog> ReadNowAsync(CancellationToken ct)
    {
        var backlog = await QueryAsync(ct);
        _current = backlog;
        return backlog;
    }

    private Task RefreshInBackground()
    {
        if (!_reading.Wait(0)) return _first ?? Task.CompletedTask;
        return Task.Run(async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                _current = await QueryAsync(timeout.Token);
                LastError = null;
            }
            catch (Exception e)
            {
                // A metrics callback must never throw: the gauges keep the last snapshot (or none) until a read succeeds.
                LastError = e.Message;
                logger.LogWarning(e, "The backlog for the metrics could not be read.");
            }
            finally
            {
                _reading.Release();
            }
        });
    }

    private async Task<Backlog> QueryAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = new NpgsqlConnection(connections.Runtime);
        await connection.OpenAsync(ct);
        // Its own transaction: the function's scan setting is transaction-local and ends with it (ADR 0063).
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("select queue, kind, depth, due, oldest_due_at from observability_backlog($1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        var queues = new List<QueueBacklog>();
        var calls = new List<LiveCalls>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var queue = reader.GetString(0);
                if (queue == "calls") calls.Add(new LiveCalls(reader.GetString(1), reader.GetInt64(2)));
                else queues.Add(new QueueBacklog(queue, reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
            }
        }
        Replication replication;
        await using (var command2 = new NpgsqlCommand("select in_recovery, standbys, lag_seconds from observability_replication()", connection, transaction))
        await using (var reader = await command2.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            replication = new Replication(reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetDouble(2));
        }
        await transaction.CommitAsync(ct);
        return new Backlog(now, queues, calls, replication);
    }
}
