using Switchboard.Platform;

namespace Switchboard.Features.Activities;

/// <summary>
/// The activity use cases, shared by the API and the pages: role rules, validation, due buckets, concurrency. A change of
/// due time or status moves the task's reminder (<see cref="TaskReminders"/>) and, for a callback task, the lead's
/// callback (<see cref="CallbackTasks"/>); a task given to someone else is announced to them live.
/// </summary>
[Scoped]
public sealed class ActivityService(
    SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, RelatedRecords related, TaskReminders reminders, CallbackTasks callbacks)
    : IRecordStore<ActivityDto, ActivityWrite>
{
    public async Task<Outcome<PagedList<ActivityDto>>> ListAsync(ActivityQuery query, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(query.Page, query.PageSize, errors);
        CheckOneOf(errors, "status", query.Status, ActivityStatuses.All);
        CheckOneOf(errors, "type", query.Type, ActivityTypes.All);
        CheckOneOf(errors, "relatedType", query.RelatedType, RelatedTypes.All);
        CheckOneOf(errors, "due", query.Due, DueBuckets.All);
        if ((query.RelatedType is null) != (query.RelatedId is null)) errors.Add("relatedId", "relatedType and relatedId go together.");
        var sort = query.Sort ?? "dueAt";
        if (!ActivitySorts.All.Contains(sort.TrimStart('-')))
            errors.Add("sort", $"'{sort}' is not a sortable field. Use one of: {string.Join(", ", ActivitySorts.All)} (prefix '-' for descending).");
        if (!errors.IsValid) return new Outcome<PagedList<ActivityDto>>.Invalid(errors.ToDictionary());

        var rows = Visible();
        if (query.AssigneeId is { } assignee) rows = rows.Where(a => a.AssigneeId == assignee);
        if (query.Status is { } status) rows = rows.Where(a => a.Status == status);
        if (query.Type is { } type) rows = rows.Where(a => a.Type == type);
        if (query.RelatedType is { } relatedType && query.RelatedId is { } relatedId)
            rows = rows.Where(a => a.RelatedType == relatedType && a.RelatedId == relatedId);
        if (query.Due is { } due) rows = InBucket(rows, due);

        var page = await paging.ApplyAsync(db, Sort(rows, sort).AsNoTracking(), ct);
        return page.Map(ActivityDto.Of);
    }

    public async Task<ActivityDto?> FindAsync(Guid id, CancellationToken ct) =>
        await Visible().AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct) is { } a ? ActivityDto.Of(a) : null;

    public async Task<Outcome<ActivityDto>> CreateAsync(ActivityWrite body, CancellationToken ct)
    {
        if (!ActivityPermissions.CanWrite(ctx)) return new Outcome<ActivityDto>.Forbidden("Your role cannot create activities.");
        var activity = new Activity
        {
            Id = Guid.CreateVersion7(), Type = ActivityTypes.Task, Subject = "", CreatedBy = ctx.UserId, AssigneeId = ctx.UserId,
        };
        var errors = body.BindingErrors();
        if (body.Version.IsSet) errors.Add("version", "'version' cannot be set on create.");
        await ApplyAsync(activity, body, errors, isNew: true, ct);
        if (activity.AssigneeId != ctx.UserId && !ActivityPermissions.CanAssignOthers(ctx))
            return new Outcome<ActivityDto>.Forbidden("Agents can only assign activities to themselves.");
        if (!errors.IsValid) return new Outcome<ActivityDto>.Invalid(errors.ToDictionary());

        db.Set<Activity>().Add(activity);
        await reminders.FollowDueAsync(activity, ct);
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        await db.SaveChangesAsync(ct);
        await AnnounceAssignmentAsync(activity, previousAssignee: ctx.UserId, ct);
        await tx.CommitAsync(ct);
        return ActivityDto.Of(activity);
    }

    /// <summary>Applies a JSON merge patch. <paramref name="ifMatch"/> is the version from an If-Match header, if any.</summary>
    public async Task<Outcome<ActivityDto>> UpdateAsync(Guid id, ActivityWrite patch, int? ifMatch, CancellationToken ct)
    {
        var activity = await Visible().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null) return new Outcome<ActivityDto>.NotFound();
        if (!ActivityPermissions.CanEdit(ctx)) return new Outcome<ActivityDto>.Forbidden("Your role cannot edit activities.");
        if (ifMatch is { } expected && expected != activity.Version)
            return new Outcome<ActivityDto>.PreconditionFailed($"The activity has changed since version {expected}; it is now at version {activity.Version}. Reload and retry.");

        var errors = patch.BindingErrors();
        if (patch.Version is { IsSet: true, Value: { } v } && v != activity.Version)
            return new Outcome<ActivityDto>.Conflict($"The activity has changed since version {v}; it is now at version {activity.Version}. Reload and retry.");
        var previousAssignee = activity.AssigneeId;
        var previousDue = activity.DueAt;
        var previousStatus = activity.Status;
        await ApplyAsync(activity, patch, errors, isNew: false, ct);
        if (activity.AssigneeId != previousAssignee && activity.AssigneeId != ctx.UserId && !ActivityPermissions.CanAssignOthers(ctx))
            return new Outcome<ActivityDto>.Forbidden("Agents can only assign activities to themselves.");
        if (!errors.IsValid) return new Outcome<ActivityDto>.Invalid(errors.ToDictionary());
        if (activity.DueAt != previousDue || activity.Status != previousStatus || activity.AssigneeId != previousAssignee)
        {
            await reminders.FollowDueAsync(activity, ct);
            await callbacks.FollowTaskAsync(activity, previousDue, ct);
        }
        return await SaveAsync(activity, previousAssignee, ct);
    }

    public async Task<Outcome<ActivityDto>> CompleteAsync(Guid id, CancellationToken ct)
    {
        var activity = await Visible().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null) return new Outcome<ActivityDto>.NotFound();
        if (!ActivityPermissions.CanEdit(ctx)) return new Outcome<ActivityDto>.Forbidden("Your role cannot complete activities.");
        if (activity.Status == ActivityStatuses.Completed) return ActivityDto.Of(activity);
        SetStatus(activity, ActivityStatuses.Completed);
        await reminders.FollowDueAsync(activity, ct);
        await callbacks.FollowTaskAsync(activity, activity.DueAt, ct);
        return await SaveAsync(activity, activity.AssigneeId, ct);
    }

    /// <summary>
    /// The team's pending tasks (managers and admins: every member's), optionally of one assignee and one due bucket,
    /// soonest due first. Others get only their own, as in <see cref="MyPendingTasksAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<(ActivityDto Task, string Bucket)>> TeamPendingTasksAsync(Guid? assignee, string? due, CancellationToken ct)
    {
        var rows = db.Set<Activity>().AsNoTracking().Where(a => a.Status == ActivityStatuses.Pending && a.Type == ActivityTypes.Task);
        if (!ActivityPermissions.CanAssignOthers(ctx)) rows = rows.Where(a => a.AssigneeId == ctx.RequiredUserId);
        else if (assignee is { } id) rows = rows.Where(a => a.AssigneeId == id);
        if (due is not null && DueBuckets.All.Contains(due)) rows = InBucket(rows, due);
        var tasks = await rows.OrderBy(a => a.DueAt == null).ThenBy(a => a.DueAt).ThenBy(a => a.CreatedAt).Take(500).ToListAsync(ct);
        var (today, tomorrow) = DayBounds();
        return tasks.Select(t => (ActivityDto.Of(t), Bucket(t.DueAt, today, tomorrow))).ToList();
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        var activity = await Visible().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null) return new Outcome<bool>.NotFound();
        if (!ActivityPermissions.CanDelete(ctx, activity))
            return new Outcome<bool>.Forbidden("Only administrators, or the creator of a still-pending activity, can delete it.");
        db.Set<Activity>().Remove(activity);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The caller's pending tasks, each with its due bucket in the tenant's time zone (no due date counts as upcoming).</summary>
    public async Task<IReadOnlyList<(ActivityDto Task, string Bucket)>> MyPendingTasksAsync(CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        var tasks = await db.Set<Activity>().AsNoTracking()
            .Where(a => a.AssigneeId == self && a.Status == ActivityStatuses.Pending && a.Type == ActivityTypes.Task)
            .OrderBy(a => a.DueAt == null).ThenBy(a => a.DueAt).ThenBy(a => a.CreatedAt)
            .Take(500)
            .ToListAsync(ct);
        var (today, tomorrow) = DayBounds();
        return tasks.Select(t => (ActivityDto.Of(t), Bucket(t.DueAt, today, tomorrow))).ToList();
    }

    public static string Bucket(DateTimeOffset? due, DateTimeOffset startOfToday, DateTimeOffset startOfTomorrow) =>
        due is null || due >= startOfTomorrow ? DueBuckets.Upcoming : due < startOfToday ? DueBuckets.Overdue : DueBuckets.Today;

    /// <summary>The instants the tenant's today starts and ends (its time zone, DST-aware).</summary>
    public (DateTimeOffset StartOfToday, DateTimeOffset StartOfTomorrow) DayBounds()
    {
        var zone = TimeZones.FindOrUtc(ctx.Tenant?.TimeZone);
        var today = TimeZones.Today(clock.GetUtcNow(), zone);
        return (TimeZones.StartOfDayUtc(today, zone), TimeZones.StartOfDayUtc(today.AddDays(1), zone));
    }

    /// <summary>
    /// Agents see activities assigned to them, created by them, or about a record they own; other roles all of the tenant's.
    /// The owned-record test is SQL over the four record tables (which have no entities in this feature).
    /// </summary>
    internal IQueryable<Activity> Visible()
    {
        if (RecordVisibility.OwnerScope(ctx) is null) return db.Set<Activity>();
        var self = ctx.RequiredUserId;
        return db.Set<Activity>().FromSql($"""
            select * from activities a
            where a.assignee_id = {self} or a.created_by = {self}
               or (a.related_type = 'lead' and exists (select 1 from leads r where r.tenant_id = a.tenant_id and r.id = a.related_id and r.owner_id = {self}))
               or (a.related_type = 'contact' and exists (select 1 from contacts r where r.tenant_id = a.tenant_id and r.id = a.related_id and r.owner_id = {self}))
               or (a.related_type = 'account' and exists (select 1 from accounts r where r.tenant_id = a.tenant_id and r.id = a.related_id and r.owner_id = {self}))
               or (a.related_type = 'opportunity' and exists (select 1 from opportunities r where r.tenant_id = a.tenant_id and r.id = a.related_id and r.owner_id = {self}))
            """);
    }

    private async Task<Outcome<ActivityDto>> SaveAsync(Activity activity, Guid? previousAssignee, CancellationToken ct)
    {
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var saved = await db.SaveAsync("activity", () => ActivityDto.Of(activity), ct);
        if (saved is not Outcome<ActivityDto>.Ok) return saved;
        await AnnounceAssignmentAsync(activity, previousAssignee, ct);
        await tx.CommitAsync(ct);
        return saved;
    }

    /// <summary>A task given to someone other than the one giving it: their open pages say so, once it commits.</summary>
    private async Task AnnounceAssignmentAsync(Activity activity, Guid? previousAssignee, CancellationToken ct)
    {
        if (activity.AssigneeId is not { } assignee || assignee == previousAssignee || assignee == ctx.UserId) return;
        await reminders.AnnounceAsync(activity.TenantId, assignee, "task.assigned", new { taskId = activity.Id }, ct);
    }

    /// <summary>
    /// Completing stamps completedAt (once); any other status clears it (reopening). A person changing the status takes
    /// it over from the AI: undoing the call's analysis will not reopen it.
    /// </summary>
    private void SetStatus(Activity activity, string status)
    {
        if (status == ActivityStatuses.Completed)
        {
            if (activity.Status != ActivityStatuses.Completed) activity.CompletedAt = clock.GetUtcNow();
        }
        else activity.CompletedAt = null;
        if (activity.Status != status) (activity.CompletedByCallId, activity.CompletionNote) = (null, null);
        activity.Status = status;
    }

    private async Task ApplyAsync(Activity activity, ActivityWrite body, ValidationErrors errors, bool isNew, CancellationToken ct)
    {
        if (body.Type.OneOf("type", ActivityTypes.All, errors) is { IsSet: true } type)
        {
            if (type.Value is null) errors.Add("type", "type cannot be null.");
            else activity.Type = type.Value;
        }
        if (body.Subject is { IsSet: true } subject) activity.Subject = subject.Value ?? "";
        if (body.Body is { IsSet: true } text) activity.Body = text.Value;
        if (body.DueAt is { IsSet: true } due)
        {
            if (due.Value is null) activity.DueAt = null;
            else if (DateTimeOffset.TryParse(due.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dueAt)) activity.DueAt = dueAt.ToUniversalTime();
            else errors.Add("dueAt", $"'{due.Value}' is not an ISO 8601 date and time such as 2026-03-01T15:00:00Z.");
        }
        if (body.Priority.OneOf("priority", ActivityPriorities.All, errors) is { IsSet: true } priority)
        {
            if (priority.Value is null) errors.Add("priority", "priority cannot be null.");
            else activity.Priority = priority.Value;
        }
        if (body.Status.OneOf("status", ActivityStatuses.All, errors) is { IsSet: true } status)
        {
            if (status.Value is null) errors.Add("status", "status cannot be null.");
            else SetStatus(activity, status.Value);
        }
        if (body.AssigneeId is { IsSet: true } assignee)
        {
            activity.AssigneeId = assignee.Value;
            if (assignee.Value is { } assigneeId && !await db.Memberships.AnyAsync(m => m.UserId == assigneeId && m.IsActive, ct))
                errors.Add("assigneeId", "The assignee must be an active member of this tenant.");
        }
        var relatedType = body.RelatedType.OneOf("relatedType", RelatedTypes.All, errors);
        var relatedId = body.RelatedId;
        if (relatedType.IsSet || relatedId.IsSet)
        {
            if (relatedType.IsSet) activity.RelatedType = relatedType.Value;
            if (relatedId.IsSet) activity.RelatedId = relatedId.Value;
            await related.ValidateAsync(activity.RelatedType, activity.RelatedId, required: false, errors, ct);
        }

        if (isNew || body.Subject.IsSet) errors.Required("subject", activity.Subject, "Subject");
        errors.MaxLength("body", activity.Body, "Body", 10_000);
    }

    private IQueryable<Activity> InBucket(IQueryable<Activity> rows, string due)
    {
        var (today, tomorrow) = DayBounds();
        return due switch
        {
            DueBuckets.Overdue => rows.Where(a => a.Status == ActivityStatuses.Pending && a.DueAt < today),
            DueBuckets.Today => rows.Where(a => a.DueAt >= today && a.DueAt < tomorrow),
            _ => rows.Where(a => a.DueAt >= tomorrow),
        };
    }

    private static IQueryable<Activity> Sort(IQueryable<Activity> rows, string sort)
    {
        var descending = sort.StartsWith('-');
        return sort.TrimStart('-') switch
        {
            "createdAt" => descending ? rows.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id) : rows.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id),
            "updatedAt" => descending ? rows.OrderByDescending(a => a.UpdatedAt).ThenBy(a => a.Id) : rows.OrderBy(a => a.UpdatedAt).ThenBy(a => a.Id),
            "subject" => descending ? rows.OrderByDescending(a => a.Subject).ThenBy(a => a.Id) : rows.OrderBy(a => a.Subject).ThenBy(a => a.Id),
            // high < medium < low as a rank, so ascending puts the most urgent first.
            "priority" => descending
                ? rows.OrderByDescending(a => a.Priority == "high" ? 0 : a.Priority == "medium" ? 1 : 2).ThenBy(a => a.DueAt).ThenBy(a => a.Id)
                : rows.OrderBy(a => a.Priority == "high" ? 0 : a.Priority == "medium" ? 1 : 2).ThenBy(a => a.DueAt).ThenBy(a => a.Id),
            // Nulls last either way: an activity without a due date is never the most urgent.
            _ => descending ? rows.OrderBy(a => a.DueAt == null).ThenByDescending(a => a.DueAt).ThenBy(a => a.Id)
                            : rows.OrderBy(a => a.DueAt == null).ThenBy(a => a.DueAt).ThenBy(a => a.Id),
        };
    }

    private static void CheckOneOf(ValidationErrors errors, string field, string? value, IReadOnlyList<string> allowed)
    {
        if (value is not null && !allowed.Contains(value))
            errors.Add(field, $"'{value}' is not a valid {field}. Use one of: {string.Join(", ", allowed)}.");
    }
}
