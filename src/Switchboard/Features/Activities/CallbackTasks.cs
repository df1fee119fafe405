using Switchboard.Features.Calls;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Platform;

namespace Switchboard.Features.Activities;

/// <summary>A callback task as the home page and the notices show it: who to call back, when, and where they live.</summary>
public sealed record CallbackTaskView(Guid TaskId, string Subject, DateTimeOffset? DueAt, string? RelatedType, Guid? RelatedId, Guid? CallId);

/// <summary>
/// Callbacks are tasks (ADR 0034). A call outcome that schedules a callback creates a task for the call's agent, due at
/// the callback, about the lead (or contact), linked to the call, in the outcome's own transaction; recording the call's
/// outcome again moves that one task (never a second); an outcome without a callback cancels it. The lead keeps at most
/// one open callback task, in step with <c>lead.CallbackAt</c> (the dialer's ordering): a later outcome with the lead
/// closes the earlier callback task, completed when that call connected (the callback happened), canceled otherwise.
/// Completing or canceling the callback task by hand clears the lead's callback in turn.
/// </summary>
[Scoped]
public sealed class CallbackTasks(SwitchboardDbContext db, TenantContext ctx, TaskReminders reminders, TimeProvider clock)
{
    /// <summary>Called by the outcome step before it saves: brings the callback tasks in line with the call's outcome.</summary>
    public async Task FollowOutcomeAsync(Call call, Lead? lead, bool connected, CancellationToken ct)
    {
        string? relatedType = null;
        Guid? relatedId = null;
        if (lead is not null) (relatedType, relatedId) = ("lead", lead.Id);
        else if (call.ContactId is { } contact) (relatedType, relatedId) = ("contact", contact);
        var open = await db.Set<Activity>()
            .Where(a => a.Status == ActivityStatuses.Pending && a.CallId != null
                        && (a.CallId == call.Id || (relatedId != null && a.RelatedType == relatedType && a.RelatedId == relatedId)))
            .ToListAsync(ct);

        foreach (var earlier in open.Where(a => a.CallId != call.Id))
            await CloseAsync(earlier, connected ? ActivityStatuses.Completed : ActivityStatuses.Canceled, ct);

        var own = open.SingleOrDefault(a => a.CallId == call.Id);
        if (call.CallbackAt is not { } at)
        {
            if (own is not null) await CloseAsync(own, ActivityStatuses.Canceled, ct);
            return;
        }
        if (own is null)
        {
            own = new Activity
            {
                Id = Guid.CreateVersion7(), Type = ActivityTypes.Task, Subject = await SubjectAsync(call, lead, ct), CallId = call.Id,
                AssigneeId = call.AgentId ?? ctx.UserId, CreatedBy = ctx.UserId, RelatedType = relatedType, RelatedId = relatedId,
                Priority = ActivityPriorities.High,
            };
            db.Set<Activity>().Add(own);
        }
        own.DueAt = at;
        own.Body = string.IsNullOrWhiteSpace(call.Notes) ? own.Body : call.Notes;
        await reminders.FollowDueAsync(own, ct);
    }

    /// <summary>
    /// After a callback task was completed, canceled, or moved by hand (<paramref name="previousDue"/> is its due time
    /// before): the lead's callback follows it while it is still this task's callback.
    /// </summary>
    public async Task FollowTaskAsync(Activity task, DateTimeOffset? previousDue, CancellationToken ct)
    {
        if (!task.IsCallback || task.RelatedType != "lead" || task.RelatedId is not { } leadId) return;
        var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == leadId, ct);
        if (lead is null || lead.CallbackAt != previousDue) return;
        lead.CallbackAt = task.Status == ActivityStatuses.Pending ? task.DueAt : null;
    }

    /// <summary>
    /// The signed-in member's open callback tasks due before the end of their tenant's today (overdue ones included), soonest
    /// first: the home page's "callbacks due today".
    /// </summary>
    public async Task<IReadOnlyList<CallbackTaskView>> MyCallbacksDueTodayAsync(CancellationToken ct)
    {
        if (ctx.UserId is not { } self || ctx.TenantId is null) return [];
        var zone = TimeZones.FindOrUtc(ctx.Tenant?.TimeZone);
        var endOfToday = TimeZones.StartOfDayUtc(TimeZones.Today(clock.GetUtcNow(), zone).AddDays(1), zone);
        return await db.Set<Activity>().AsNoTracking()
            .Where(a => a.AssigneeId == self && a.Status == ActivityStatuses.Pending && a.CallId != null && a.DueAt < endOfToday)
            .OrderBy(a => a.DueAt).ThenBy(a => a.Id)
            .Select(a => new CallbackTaskView(a.Id, a.Subject, a.DueAt, a.RelatedType, a.RelatedId, a.CallId))
            .Take(100).ToListAsync(ct);
    }

    private async Task CloseAsync(Activity task, string status, CancellationToken ct)
    {
        task.Status = status;
        task.CompletedAt = status == ActivityStatuses.Completed ? clock.GetUtcNow() : null;
        await reminders.FollowDueAsync(task, ct);
    }

    private async Task<string> SubjectAsync(Call call, Lead? lead, CancellationToken ct)
    {
        var name = lead is not null ? $"{lead.FirstName} {lead.LastName}".Trim()
            : call.ContactId is { } contactId
                ? await db.Set<Contact>().Where(c => c.Id == contactId).Select(c => (c.FirstName + " " + c.LastName).Trim()).SingleOrDefaultAsync(ct)
                : null;
        if (string.IsNullOrEmpty(name)) name = call.Direction == CallDirections.Outbound ? call.ToNumber : call.FromNumber;
        var subject = $"Call back {name}";
        return subject.Length <= 200 ? subject : subject[..200];
    }
}
