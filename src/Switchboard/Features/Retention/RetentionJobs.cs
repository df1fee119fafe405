namespace Switchboard.Features.Retention;

/// <summary>One tenant's nightly retention run (job <c>retention.apply</c>, enqueued by <see cref="RetentionSweep"/>); the worker has entered the tenant.</summary>
public sealed class RetentionApply(RetentionRunner runner) : IJobHandler
{
    public const string JobKind = "retention.apply";

    public string Kind => JobKind;

    public Task HandleAsync(Job job, CancellationToken ct) => runner.RunAsync(dryRun: false, trigger: "job", ct);
}

/// <summary>
/// Once a day at <see cref="RunsAt"/> UTC (job <c>retention.sweep</c>, platform-wide, a <see cref="DailyJobs"/> job):
/// queues tomorrow's sweep first, then one <see cref="RetentionApply"/> per tenant, keyed by the day.
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

    /// <summary>The sweep of <paramref name="day"/> (see <see cref="DailyJobs"/>).</summary>
    public static Task<bool> ScheduleAsync(JobQueue jobs, DateOnly day, CancellationToken ct) => DailyJobs.ScheduleAsync(jobs, JobKind, RunsAt, day, ct);
}
