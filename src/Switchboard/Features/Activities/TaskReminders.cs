namespace Switchboard.Features.Activities;

public sealed record TaskReminderPayload(Guid TaskId, DateTimeOffset At);

/// <summary>
/// Reminds a task's assignee when it falls due (ADR 0034). Setting a due time (or snoozing) sets the task's
/// <see cref="Activity.RemindAt"/> and schedules a durable job for that moment in the same transaction; the job, when it
/// runs, looks at the task afresh and reminds only if the task is still pending and still waits for that very
/// reminder. It stamps <see cref="Activity.RemindedAt"/> and announces <see cref="DueEvent"/> to the assignee alone,
/// in one transaction guarded by the row's version, so a job that runs twice (an expired lease, a restart) reminds
/// once. The notice then stays in the assignee's layout (<see cref="DueForMeAsync"/>) until they call, snooze,
/// dismiss or complete.
/// Registered as the job handler of <see cref="JobKind"/> (scoped), which is also how pages and services get it.
/// </summary>
public sealed class TaskReminders(SwitchboardDbContext db, TenantContext ctx, JobQueue jobs, RealtimeEvents realtime, TimeProvider clock) : IJobHandler
{
    public const string JobKind = "activities.task-reminder";

    /// <summary>To the assignee: a reminder fired, or was snoozed, dismissed or completed (the notices refresh).</summary>
    public const string DueEvent = "task.due";
    public const string ChangedEvent = "task.reminders_changed";

    public static readonly TimeSpan SnoozeFor = TimeSpan.FromMinutes(10);

    public string Kind => JobKind;

    /// <summary>
    /// After a task's due time, status or assignee changed: the next reminder is the due time while the task is pending,
    /// assigned and due in the future; none otherwise. Joins the caller's unit of work (nothing is written until it saves).
    /// </summary>
    public async Task FollowDueAsync(Activity task, CancellationToken ct)
    {
        var at = task is { Status: ActivityStatuses.Pending, AssigneeId: not null, DueAt: { } due } && due > clock.GetUtcNow() ? Stored(due) : (DateTimeOffset?)null;
        if (at == task.RemindAt) return;
        task.RemindAt = at;
        if (at is { } when) await ScheduleAsync(task, when, ct);
    }

    /// <summary>Moves the assignee's reminder <see cref="SnoozeFor"/> ahead. Only the assignee snoozes their reminders.</summary>
    public async Task<Outcome<ActivityDto>> SnoozeAsync(Guid id, CancellationToken ct)
    {
        if (await MineAsync(id, ct) is not { } task) return new Outcome<ActivityDto>.NotFound();
        if (task.Status != ActivityStatuses.Pending) return new Outcome<ActivityDto>.Conflict("The task is no longer pending.");
        var at = Stored(clock.GetUtcNow() + SnoozeFor);
        task.RemindAt = at;
        await ScheduleAsync(task, at, ct);
        return await SaveAndAnnounceAsync(task, ct);
    }

    /// <summary>Puts a fired reminder away without another one (the task stays as it is).</summary>
    public async Task<Outcome<ActivityDto>> DismissAsync(Guid id, CancellationToken ct)
    {
        if (await MineAsync(id, ct) is not { } task) return new Outcome<ActivityDto>.NotFound();
        task.RemindAt = null;
        return await SaveAndAnnounceAsync(task, ct);
    }

    /// <summary>The signed-in member's reminders that have fired and wait for them, soonest due first (the layout's notices).</summary>
    public async Task<IReadOnlyList<ActivityDto>> DueForMeAsync(CancellationToken ct)
    {
        if (ctx.UserId is not { } self || ctx.TenantId is null) return [];
        var tasks = await db.Set<Activity>().AsNoTracking()
            .Where(a => a.AssigneeId == self && a.Status == ActivityStatuses.Pending && a.RemindedAt != null && a.RemindAt == a.RemindedAt)
            .OrderBy(a => a.DueAt).ThenBy(a => a.Id)
            .Take(5).ToListAsync(ct);
        return tasks.Select(ActivityDto.Of).ToList();
    }

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var payload = job.Read<TaskReminderPayload>();
        var task = await db.Set<Activity>().SingleOrDefaultAsync(a => a.Id == payload.TaskId, ct);
        // A reminder moved (snoozed, a new due time), put away, already sent, or for a task that is done: nothing to do.
        var at = Stored(payload.At);
        if (task is not { Status: ActivityStatuses.Pending, AssigneeId: { } assignee } || task.RemindAt != at || task.RemindedAt == at)
            return;
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        task.RemindedAt = at;
        // The version check makes a second run of this job fail here, so the assignee hears it once.
        await db.SaveChangesAsync(ct);
        await realtime.PublishToUserAsync(task.TenantId, assignee, DueEvent, new { taskId = task.Id, callback = task.IsCallback }, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// An instant as PostgreSQL keeps it (whole microseconds), so the time a job carries equals the task's stored reminder
    /// time; a due time typed to the tick would otherwise never match and the reminder would never fire.
    /// </summary>
    public static DateTimeOffset Stored(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    /// <summary>Tells a member's open pages that their tasks changed (assigned to them, completed elsewhere).</summary>
    public Task AnnounceAsync(Guid tenantId, Guid userId, string type, object data, CancellationToken ct) =>
        realtime.PublishToUserAsync(tenantId, userId, type, data, ct);

    private Task ScheduleAsync(Activity task, DateTimeOffset at, CancellationToken ct) =>
        jobs.EnqueueAsync(JobKind, new TaskReminderPayload(task.Id, at), task.TenantId == Guid.Empty ? ctx.TenantId : task.TenantId,
            $"task-reminder:{task.Id}:{at.ToUnixTimeMilliseconds()}", at, ct: ct);

    /// <summary>A task of the signed-in member's own: reminders are personal, so anyone else's is not found.</summary>
    private Task<Activity?> MineAsync(Guid id, CancellationToken ct) =>
        ctx.UserId is { } self ? db.Set<Activity>().SingleOrDefaultAsync(a => a.Id == id && a.AssigneeId == self, ct) : Task.FromResult<Activity?>(null);

    private async Task<Outcome<ActivityDto>> SaveAndAnnounceAsync(Activity task, CancellationToken ct)
    {
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var saved = await db.SaveAsync("activity", () => ActivityDto.Of(task), ct);
        if (saved is Outcome<ActivityDto>.Ok && task.AssigneeId is { } assignee)
            await realtime.PublishToUserAsync(task.TenantId, assignee, ChangedEvent, new { taskId = task.Id }, ct);
        await tx.CommitAsync(ct);
        return saved;
    }
}
