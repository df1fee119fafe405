using System.Threading.Channels;
using Npgsql;

namespace Switchboard.Features.Calls;

/// <summary>One status callback that passed the webhook gate, with who sent it (for the audit row).</summary>
public sealed record StatusCallback(Guid TenantId, string Provider, StatusUpdate Update, string PayloadJson, string ActorName, string? Ip, string? UserAgent)
{
    /// <summary>The call the callback is about: a child leg (a &lt;Dial&gt;ed number) belongs to its parent's call.</summary>
    public string CallSid => Update.ParentCallSid ?? Update.CallSid;

    /// <summary>The idempotency key: a provider retry or duplicate has the same one.</summary>
    public string EventKey => $"status:{Update.CallSid}:{Update.Status}:{Update.SequenceNumber?.ToString() ?? "-"}";
}

/// <summary>
/// The hot path of status callbacks, with group commit (ADR 0006). Each webhook request hands its callback
/// over and waits; one writer takes every callback waiting at that moment and applies them all in a single
/// transaction of three round trips — (1) lock the calls and record the events once, (2) write the
/// transitions with their audit rows, the agents' presence and the realtime notices, (3) commit — then
/// answers every waiting request. The commit is durable before any request is answered, so a 204 still
/// means "stored"; under load one WAL flush serves many callbacks instead of one each.
/// <para>
/// Same rules as <see cref="CallLifecycle"/>, which decides each transition: an event is recorded once
/// (retries are no-ops), and a call never moves backwards. Callbacks in one batch are applied in arrival
/// order against the calls' state as it stands after the earlier ones. Row-level security applies: each
/// tenant's statements run with that tenant set (transaction-local) on the runtime role's connection.
/// If a batch fails, its callbacks are retried one by one, so one bad callback fails only its own request.
/// </para>
/// </summary>
[Singleton]
public sealed class CallStatusWriter(DatabaseConnections connections, TimeProvider clock, ILogger<CallStatusWriter> log) : BackgroundService
{
    /// <summary>The most callbacks one transaction takes; more wait for the next.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(8 * MaxBatch) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private sealed record Pending(StatusCallback Callback, TaskCompletionSource<EventOutcome> Done);

    /// <summary>Applies the callback and returns once it is committed (or known to be a duplicate, stale, or for no call).</summary>
    public async Task<EventOutcome> ApplyAsync(StatusCallback callback, CancellationToken ct)
    {
        if (CallStatuses.Rank(callback.Update.Status) < 0) return EventOutcome.Stale; // a status Switchboard does not know is ignored
        var pending = new Pending(callback, new TaskCompletionSource<EventOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, ct);
        // A request that goes away does not take its callback back: it is applied anyway, and a retry is a duplicate.
        return await pending.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        // Runs until the queue is completed (StopAsync), not until stoppingToken: callbacks already taken are finished.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending)) batch.Add(pending);
            await CommitAsync(batch);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task CommitAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            var outcomes = await WriteAsync(batch.Select(p => p.Callback).ToList());
            for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(outcomes[i]);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            log.LogWarning(e, "A batch of {Count} status callbacks failed; applying them one by one", batch.Count);
            foreach (var pending in batch) await CommitAsync([pending]);
        }
        catch (Exception e)
        {
            log.LogError(e, "Status callback {EventKey} for tenant {TenantId} failed", batch[0].Callback.EventKey, batch[0].Callback.TenantId);
            batch[0].Done.TrySetException(e);
        }
    }

    private async Task<EventOutcome[]> WriteAsync(IReadOnlyList<StatusCallback> callbacks)
    {
        var now = clock.GetUtcNow();
        var outcomes = new EventOutcome[callbacks.Count];
        var work = callbacks.Select((callback, index) => (callback, index))
            .GroupBy(x => x.callback.TenantId)
            // Tenants in id order: batches on several instances then lock their calls in one order. (Audit rows take no
            // lock until the commit seals them, ADR 0041.)
            .OrderBy(g => g.Key)
            .Select(g => new BatchTenantWork(g.Key, g.ToList()))
            .ToList();

        await using var conn = new NpgsqlConnection(connections.Runtime);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();

        await using (var read = new NpgsqlBatch(conn, tx))
        {
            foreach (var tenant in work) StatusBatchSql.AddReads(read, tenant, now);
            await using var reader = await read.ExecuteReaderAsync();
            foreach (var tenant in work) await StatusBatchSql.ReadAsync(reader, tenant);
        }

        foreach (var tenant in work) StatusDecisions.Decide(tenant, outcomes, now);

        await using (var write = new NpgsqlBatch(conn, tx))
        {
            foreach (var tenant in work) StatusBatchSql.AddWrites(write, tenant, now);
            if (write.BatchCommands.Count > 0) await write.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return outcomes;
    }
}
