namespace Switchboard.Features.Activities;

/// <summary>A fired reminder as the layout shows it: the task, the record it is about, and whether it was just assigned.</summary>
public sealed record ReminderNotice(ActivityDto Task, TaskRecord? Record, bool Assigned)
{
    public string Title => Task.IsCallback && Record is not null ? $"Callback due: {Record.Name}" : Assigned ? $"Assigned to you: {Task.Subject}" : $"Task due: {Task.Subject}";
}

public sealed record ReminderNotices(IReadOnlyList<ReminderNotice> Items, bool CanCall, TenantSettings? Tenant);

/// <summary>
/// The reminders of the layout (Ui/Components/TaskReminders): the signed-in member's tasks whose reminder fired and waits for
/// them, with Call, Open and Snooze; reminders.js re-fetches them from /tasks/reminders when the hub says one fired.
/// </summary>
public sealed class TaskRemindersViewComponent(TaskReminders reminders, TaskRecords records, ActivityService activities, TenantContext ctx) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid? assigned = null)
    {
        var ct = HttpContext.RequestAborted;
        var due = await reminders.DueForMeAsync(ct);
        var list = due.Select(t => (Task: t, Assigned: false)).ToList();
        // A task just given to the member (the hub said so): shown once, until the page changes, if it is theirs indeed.
        if (assigned is { } id && list.All(t => t.Task.Id != id) && await activities.FindAsync(id, ct) is { } task
            && task.AssigneeId == ctx.UserId && task.Status == ActivityStatuses.Pending)
            list.Insert(0, (task, true));
        var named = await records.ForAsync(list.Select(t => t.Task), ct);
        var notices = list.Select(t => new ReminderNotice(t.Task, t.Task.RelatedId is { } r ? named.GetValueOrDefault(r) : null, t.Assigned)).ToList();
        return View(new ReminderNotices(notices, records.CanCall, ctx.Tenant));
    }
}

/// <summary>/tasks/reminders: the reminders alone (live refresh), and their Snooze and Dismiss buttons (answered with the reminders again).</summary>
[Switchboard.Features.Modules.RequireModule(Switchboard.Features.Modules.ModuleNames.Activities)]
public sealed class RemindersModel(TaskReminders reminders, TenantContext ctx) : AppPageModel
{
    public IActionResult OnGet(Guid? assigned) =>
        ctx.TenantId is null ? NotFound() : new ViewComponentResult { ViewComponentName = "TaskReminders", Arguments = new { assigned } };

    public async Task<IActionResult> OnPostSnoozeAsync(Guid id, CancellationToken ct) => Answer(await reminders.SnoozeAsync(id, ct), "Snoozed for 10 minutes.");

    public async Task<IActionResult> OnPostDismissAsync(Guid id, CancellationToken ct) => Answer(await reminders.DismissAsync(id, ct), "Reminder dismissed.");

    private IActionResult Answer(Outcome<ActivityDto> outcome, string done)
    {
        if (outcome is Outcome<ActivityDto>.NotFound) return NotFound();
        if (Request.Headers["HX-Request"] == "true") return new ViewComponentResult { ViewComponentName = "TaskReminders" };
        return FlashAndRedirect(outcome, _ => done, "/tasks");
    }
}
