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

    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        logger.LogInformation("Job worker {WorkerId} started with {Handlers} handler(s)", WorkerId, handlers.Count);
        var store = new JobStore(connections.Runtime, WorkerId, TimeSpan.FromSeconds(settings.LeaseSeconds));
        var poll = TimeSpan.FromSeconds(settings.PollSeconds);
        var wakeUps = new JobWakeUps(connections.Session, WorkerId, logger);
        var listening = wakeUps.ListenAsync(poll, stopping);
        var running = new HashSet<Task>();
        while (!stopping.IsCancellationRequested)
        {
            running.RemoveWhere(t => t.IsCompleted);
            var free = settings.Concurrency - running.Count;
            if (free > 0)
            {
                wakeUps.Reader.TryRead(out _);
                var claimed = await ClaimAsync(store, free, stopping);
                foreach (var job in claimed) running.Add(RunAsync(store, job, settings, stopping));
                if (claimed.Count == free) continue; // more may be waiting: claim again as soon as a slot frees
            }
            await WaitAsync(running, running.Count < settings.Concurrency ? wakeUps : null, poll, stopping);
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

    private static async Task WaitAsync(IEnumerable<Task> running, JobWakeUps? wakeUps, TimeSpan poll, CancellationToken stopping)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var waits = new List<Task>(running) { Task.Delay(poll, cancel.Token) };
        if (wakeUps is not null) waits.Add(wakeUps.Reader.WaitToReadAsync(cancel.Token).AsTask());
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
        actor.ActorType = AuditActorTypes.System;
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

    private static string Truncate(string message) => message.Length <= MaxErrorLength ? message : message[..MaxErrorLength];
}
