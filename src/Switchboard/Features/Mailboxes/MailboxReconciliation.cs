namespace Switchboard.Features.Mailboxes;

/// <summary>
/// One tenant's nightly reconciliation (job <c>mailboxes.reconcile</c>): a full sync of each active mailbox, which
/// compares every UID and Message-ID on the server with what is stored, imports what was missed, and records the count
/// as the mailbox's last_reconcile_missed (shown in its status) and in the log. One mailbox failing does not stop the
/// others; its error is recorded on it and the job reports failure so it is retried.
/// </summary>
public sealed class MailboxReconcile(SwitchboardDbContext db, MailboxSync sync, ILogger<MailboxReconcile> logger) : IJobHandler
{
    public const string JobKind = "mailboxes.reconcile";

    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var mailboxes = await db.Set<Mailbox>().AsNoTracking().Where(m => m.IsActive).Select(m => m.Id).ToListAsync(ct);
        var failed = 0;
        foreach (var id in mailboxes)
        {
            try
            {
                var report = await sync.SyncAsync(id, reconcile: true, ct);
                if (report.Missed > 0) logger.LogWarning("Reconciliation of mailbox {MailboxId} imported {Missed} missed messages", id, report.Missed);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                failed++;
                logger.LogWarning(e, "Reconciliation of mailbox {MailboxId} failed", id);
            }
        }
        if (failed > 0) throw new InvalidOperationException($"{failed} of {mailboxes.Count} mailboxes could not be reconciled.");
    }
}

/// <summary>
/// Once a day at <see cref="RunsAt"/> UTC (job <c>mailboxes.reconcile-sweep</c>, platform-wide): queues tomorrow's
/// sweep first, then one <see cref="MailboxReconcile"/> per tenant; keys carry the day, so several instances sweep once.
/// </summary>
public sealed class MailboxReconcileSweep(SwitchboardDbContext db, JobQueue jobs, TimeProvider clock) : IJobHandler
{
    public const string JobKind = "mailboxes.reconcile-sweep";
    public static readonly TimeOnly RunsAt = new(2, 30);

    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await ScheduleAsync(jobs, today.AddDays(1), ct);
        var tenants = await db.Tenants.AsNoTracking().Select(t => t.Id).ToListAsync(ct);
        foreach (var tenantId in tenants)
            await jobs.EnqueueNowAsync(MailboxReconcile.JobKind, new { }, tenantId, $"{MailboxReconcile.JobKind}:{tenantId}:{today:yyyy-MM-dd}", maxAttempts: 3, ct: ct);
    }

    public static Task<bool> ScheduleAsync(JobQueue jobs, DateOnly day, CancellationToken ct) =>
        jobs.EnqueueNowAsync(JobKind, new { }, null, $"{JobKind}:{day:yyyy-MM-dd}", runAt: new DateTimeOffset(day.ToDateTime(RunsAt), TimeSpan.Zero), ct: ct);
}

/// <summary>Queues the next reconciliation sweep when the app starts; each sweep queues the one after.</summary>
public sealed class MailboxReconcileSchedule(IServiceScopeFactory scopes, TimeProvider clock, ILogger<MailboxReconcileSchedule> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            if (TimeOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) > MailboxReconcileSweep.RunsAt) day = day.AddDays(1);
            await MailboxReconcileSweep.ScheduleAsync(scope.ServiceProvider.GetRequiredService<JobQueue>(), day, cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or DbUpdateException)
        {
            logger.LogWarning(e, "Could not schedule the nightly mailbox reconciliation");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
