using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Database;
using Switchboard.Platform.Identity;
using Switchboard.Platform.Tenancy;

namespace Switchboard.Platform.Jobs;

/// <summary>
/// Runs due jobs in this instance, up to <c>Jobs:Concurrency</c> at a time. Any number of instances can run one:
/// a claim takes jobs with FOR UPDATE SKIP LOCKED and puts a lease on them, so no two workers hold a job at
/// once, and a job whose worker died is taken over when its lease runs out. Wakes on NOTIFY (see
/// <see cref="JobQueue"/>) and otherwise polls every <c>Jobs:PollSeconds</c>. On shutdown, running handlers
/// are cancelled and their jobs handed back without spending an attempt.
/// </summary>
internal sealed class JobWorker(IServiceScopeFactory scopes, JobHandlers handlers, DatabaseConnections connections,
    IOptions<JobsOptions> options, ILogger<JobWorker> logger) : BackgroundService
{
    private const int MaxErrorLength = 2000;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        logger.LogInformation("Job worker {WorkerId} started with {Handlers} handler(s)", WorkerId, handlers.Count);
        var store = new JobStore(connections.Runtime, WorkerId, TimeSpan.FromSeconds(settings.LeaseSeconds));
        var poll = TimeSpan.FromSeconds(settings.PollSeconds);
        var listening = ListenAsync(poll, stopping);
        var running = new HashSet<Task>();
        while (!stopping.IsCancellationRequested)
        {
            running.RemoveWhere(t => t.IsCompleted);
            var free = settings.Concurrency - running.Count;
            if (free > 0)
            {
                _wake.Reader.TryRead(out _);
                var claimed = await ClaimAsync(store, free, stopping);
                foreach (var job in claimed) running.Add(RunAsync(store, job, settings, stopping));
                if (claimed.Count == free) continue; // more may be waiting: claim again as soon as a slot frees
            }
            await WaitAsync(running, wakeable: running.Count < settings.Concurrency, poll, stopping);
        }
        await Task.WhenAll(running);
        await listening;
        logger.LogInformation("Job worker {WorkerId} stopped", WorkerId);
    }

    private async Task<IReadOnlyList<Job>> ClaimAsync(JobStore store, int limit, CancellationToken stopping)
    {
        try
        {
            return await store.ClaimAsync(limit, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return [];
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Job worker {WorkerId} could not claim jobs; retrying after the poll interval", WorkerId);
            return [];
        }
    }

    private async Task WaitAsync(IEnumerable<Task> running, bool wakeable, TimeSpan poll, CancellationToken stopping)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var waits = new List<Task>(running) { Task.Delay(poll, cancel.Token) };
        if (wakeable) waits.Add(_wake.Reader.WaitToReadAsync(cancel.Token).AsTask());
        await Task.WhenAny(waits);
        await cancel.CancelAsync();
    }

    private async Task RunAsync(JobStore store, Job job, JobsOptions settings, CancellationToken stopping)
    {
        await Task.Yield(); // the handler's synchronous start must not hold up the dispatch loop
        using var handlerCancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var renewCancel = new CancellationTokenSource();
        var renewing = RenewLeaseAsync(store, job, handlerCancel, settings, renewCancel.Token);

        string? giveUp = null;
        Exception? error = null;
        var stopped = false;
        try
        {
            giveUp = await RunHandlerAsync(job, handlerCancel.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            stopped = true;
        }
        catch (Exception e)
        {
            error = e;
        }
        await renewCancel.CancelAsync();
        await renewing;

        try
        {
            bool recorded;
            if (stopped)
            {
                recorded = await store.ReleaseAsync(job.Id);
            }
            else if (giveUp is not null)
            {
                logger.LogError("Job {JobId} ({Kind}) failed: {Reason}", job.Id, job.Kind, giveUp);
                recorded = await store.FailAsync(job.Id, giveUp);
            }
            else if (error is null)
            {
                recorded = await store.CompleteAsync(job.Id);
            }
            else if (job.Attempts < job.MaxAttempts)
            {
                var delay = settings.RetryDelay(job.Attempts);
                logger.LogWarning(error, "Job {JobId} ({Kind}) attempt {Attempt} of {MaxAttempts} failed; retrying in {Delay}", job.Id, job.Kind, job.Attempts, job.MaxAttempts, delay);
                recorded = await store.RetryAsync(job.Id, delay, Truncate(error.Message));
            }
            else
            {
                logger.LogError(error, "Job {JobId} ({Kind}) failed on its last attempt ({Attempt})", job.Id, job.Kind, job.Attempts);
                recorded = await store.FailAsync(job.Id, Truncate(error.Message));
            }
            if (!recorded)
                logger.LogWarning("Job {JobId} ({Kind}): the lease was lost before the outcome could be recorded; another worker has it", job.Id, job.Kind);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Job {JobId} ({Kind}): could not record the outcome; the job runs again when its lease expires", job.Id, job.Kind);
        }
    }

    /// <summary>Runs the handler in a fresh scope inside the job's tenant; returns why the job cannot run at all, or null.</summary>
    private async Task<string?> RunHandlerAsync(Job job, CancellationToken ct)
    {
        if (job.Attempts > job.MaxAttempts)
            return $"Gave up after {job.MaxAttempts} attempts: the lease expired during the last one (the worker stopped or the handler outlived its lease).";
        if (handlers.Find(job.Kind) is not { } handlerType)
            return $"No handler is registered for job kind '{job.Kind}'.";

        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var actor = services.GetRequiredService<AuditActor>();
        actor.ActorType = "system";
        actor.ActorName = $"job:{job.Kind}";
        if (job.TenantId is { } tenantId)
        {
            var tenant = await services.GetRequiredService<SwitchboardDbContext>().Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, ct);
            if (tenant is null) return $"Tenant {tenantId} does not exist.";
            await services.GetRequiredService<TenantContext>().EnterTenantAsync(TenantMessages.Settings(tenant), TenantRole.Superadmin);
        }
        var handler = (IJobHandler)services.GetRequiredService(handlerType);
        await handler.HandleAsync(job, ct);
        return null;
    }

    /// <summary>Extends the lease every third of its length while the handler runs; cancels the handler if the lease was lost.</summary>
    private async Task RenewLeaseAsync(JobStore store, Job job, CancellationTokenSource handler, JobsOptions settings, CancellationToken ct)
    {
        var every = TimeSpan.FromSeconds(settings.LeaseSeconds / 3);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, ct);
                if (await store.RenewAsync(job.Id, ct)) continue;
                logger.LogWarning("Job {JobId} ({Kind}): lease lost while running; cancelling the handler", job.Id, job.Kind);
                await handler.CancelAsync();
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Job {JobId} ({Kind}): could not renew the lease", job.Id, job.Kind);
            }
        }
    }

    /// <summary>LISTENs on a dedicated connection, reconnecting after a poll interval when it drops.</summary>
    private async Task ListenAsync(TimeSpan retry, CancellationToken stopping)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(connections.Runtime) { Pooling = false, KeepAlive = 30 }.ConnectionString;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stopping);
                connection.Notification += (_, _) => _wake.Writer.TryWrite(true);
                await using (var listen = new NpgsqlCommand($"listen {JobQueue.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                _wake.Writer.TryWrite(true); // whatever was announced while not listening
                while (true) await connection.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Job worker {WorkerId} lost its LISTEN connection; polling until it reconnects", WorkerId);
                try
                {
                    await Task.Delay(retry, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static string Truncate(string message) => message.Length <= MaxErrorLength ? message : message[..MaxErrorLength];
}

/// <summary>The worker's statements on the jobs table (a platform table without row-level security). Each one after the claim holds only while this worker still owns the lease.</summary>
internal sealed class JobStore(string connectionString, string workerId, TimeSpan lease)
{
    private const string Owned = "where id = @id and locked_by = @worker";

    public async Task<IReadOnlyList<Job>> ClaimAsync(int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            update jobs set locked_by = @worker, locked_until = now() + @lease, attempts = attempts + 1
            where id in (
              select id from jobs
              where completed_at is null and failed_at is null and run_at <= now()
                and (locked_until is null or locked_until < now())
              order by run_at
              limit @limit
              for update skip locked)
            returning id, tenant_id, kind, payload, idempotency_key, run_at, attempts, max_attempts, locked_by, locked_until, last_error, created_at
            """, connection);
        command.Parameters.AddWithValue("worker", workerId);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var jobs = new List<Job>();
        while (await reader.ReadAsync(ct))
        {
            jobs.Add(new Job
            {
                Id = reader.GetGuid(0),
                TenantId = reader.IsDBNull(1) ? null : reader.GetGuid(1),
                Kind = reader.GetString(2),
                Payload = reader.GetFieldValue<JsonDocument>(3),
                IdempotencyKey = reader.IsDBNull(4) ? null : reader.GetString(4),
                RunAt = reader.GetFieldValue<DateTimeOffset>(5),
                Attempts = reader.GetInt32(6),
                MaxAttempts = reader.GetInt32(7),
                LockedBy = reader.GetString(8),
                LockedUntil = reader.GetFieldValue<DateTimeOffset>(9),
                LastError = reader.IsDBNull(10) ? null : reader.GetString(10),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(11),
            });
        }
        return jobs.OrderBy(j => j.RunAt).ToList();
    }

    public Task<bool> RenewAsync(Guid id, CancellationToken ct) =>
        ExecuteAsync($"update jobs set locked_until = now() + @lease {Owned}", id, ct, ("lease", lease));

    public Task<bool> CompleteAsync(Guid id) =>
        ExecuteAsync($"update jobs set completed_at = now(), locked_until = null {Owned}", id, CancellationToken.None);

    public Task<bool> RetryAsync(Guid id, TimeSpan delay, string error) =>
        ExecuteAsync($"update jobs set run_at = now() + @delay, locked_by = null, locked_until = null, last_error = @error {Owned}",
            id, CancellationToken.None, ("delay", delay), ("error", error));

    public Task<bool> FailAsync(Guid id, string error) =>
        ExecuteAsync($"update jobs set failed_at = now(), locked_until = null, last_error = @error {Owned}",
            id, CancellationToken.None, ("error", error));

    /// <summary>Hands a job back on shutdown: due again at once, and the interrupted attempt does not count.</summary>
    public Task<bool> ReleaseAsync(Guid id) =>
        ExecuteAsync($"update jobs set locked_by = null, locked_until = null, attempts = greatest(attempts - 1, 0) {Owned}", id, CancellationToken.None);

    private async Task<bool> ExecuteAsync(string sql, Guid id, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("worker", workerId);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }
}
