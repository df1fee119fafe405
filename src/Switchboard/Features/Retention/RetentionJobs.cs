namespace Switchboard.Features.Retention;

/// <summary>One tenant's nightly retention run (job <c>retention.apply</c>, enqueued by <see cref="RetentionSweep"/>); the worker has entered the tenant.</summary>
public sealed class RetentionApply(RetentionRunner runner) : IJobHandler
{
    public const string JobKind = "retention.apply";

    public string Kind => JobKind;

    public Task HandleAsync(Job job, CancellationToken ct) => runner.RunAsync(dryRun: false, trigger: "job", ct);
}

/// <summary>
/// Once a day at <see cref="RunsAt"/> UTC (job <c>retention.sweep</c>, platform-wide): queues tomorrow's sweep first,
/// so a failure here never ends the schedule, then one <see cref="RetentionApply"/> per tenant. Idempotency keys carry
/// the day, so several instances schedule and apply each day once.
/// </summary>
public sealed class RetentionSweep(SwitchboardDbContext db, JobQueue jobs, TimeProvider clock) : IJobHandler
{
    public const string JobKind = "retention.sweep";

    /// <summary>After the audit sweep (03:00, ADR 0038), at a quiet hour for most tenants.</summary>
    public static readonly TimeOnly RunsAt = new(3, 30);

    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await ScheduleAsync(jobs, today.AddDays(1), ct);
        var tenants = await db.Tenants.AsNoTracking().OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(ct);
        foreach (var tenantId in tenants)
            await jobs.EnqueueNowAsync(RetentionApply.JobKind, new { }, tenantId, $"{RetentionApply.JobKind}:{tenantId}:{today:yyyy-MM-dd}", ct: ct);
    }

    /// <summary>The sweep of <paramref name="day"/> at <see cref="RunsAt"/> UTC (at once when that has passed); nothing when it is queued already.</summary>
    public static Task<bool> ScheduleAsync(JobQueue jobs, DateOnly day, CancellationToken ct) =>
        jobs.EnqueueNowAsync(JobKind, new { }, null, $"{JobKind}:{day:yyyy-MM-dd}",
            runAt: new DateTimeOffset(day.ToDateTime(RunsAt), TimeSpan.Zero), ct: ct);
}

/// <summary>Queues today's <see cref="RetentionSweep"/> when the app starts; each sweep queues the next.</summary>
public sealed class RetentionSchedule(IServiceScopeFactory scopes, TimeProvider clock, ILogger<RetentionSchedule> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await RetentionSweep.ScheduleAsync(scope.ServiceProvider.GetRequiredService<JobQueue>(), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or DbUpdateException)
        {
            // The next start tries again; the app serves meanwhile, and data is only kept a day longer.
            logger.LogWarning(e, "Could not schedule the nightly retention sweep");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
