using Switchboard.Features.Modules;
using Switchboard.Features.Leads;
using Switchboard.Platform;

namespace Switchboard.Features.Activities;

/// <summary>The new-task form. Due is a datetime-local value, read in the tenant's time zone.</summary>
public sealed class TaskForm
{
    public string? Subject { get; set; }
    public string? Due { get; set; }
    public string Priority { get; set; } = ActivityPriorities.Medium;
    public Guid? LeadId { get; set; }
}

public sealed record TaskGroup(string Bucket, string Title, IReadOnlyList<ActivityDto> Tasks);

public sealed record TaskGroups(IReadOnlyList<TaskGroup> Groups, TenantSettings? Tenant, bool CanComplete);

/// <summary>"My tasks": the caller's pending tasks by due bucket (tenant's day), one-click complete, and a quick create form.</summary>
[RequireModule(ModuleNames.Activities)]
public sealed class TasksModel(ActivityService activities, LeadService leads, TenantContext ctx) : AppPageModel
{
    public const string GroupsTarget = "task-groups";

    [BindProperty] public TaskForm Form { get; set; } = new();

    public TaskGroups Groups { get; private set; } = new([], null, false);
    /// <summary>The name of the lead the form links (after a refused post), for its picker.</summary>
    public string? LeadLabel { get; private set; }
    public bool CanCreate => ActivityPermissions.CanWrite(ctx);
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null) return ctx.IsSuperadmin ? LocalRedirect("/tenants") : Forbid();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null || !CanCreate) return Forbid();
        var body = new ActivityWrite
        {
            Type = Optional.Of<string?>(ActivityTypes.Task), Subject = Optional.Text(Form.Subject), Priority = Optional.Text(Form.Priority),
        };
        if (!string.IsNullOrWhiteSpace(Form.Due))
        {
            if (ToUtc(Form.Due) is { } due) body = body with { DueAt = Optional.Of<string?>(due.ToString("O", CultureInfo.InvariantCulture)) };
            else AddError("due", "Enter a date and time.");
        }
        if (Form.LeadId is { } lead)
            body = body with { RelatedType = Optional.Of<string?>("lead"), RelatedId = Optional.Of<Guid?>(lead) };
        if (!HasErrors)
        {
            var outcome = await activities.CreateAsync(body, ct);
            if (outcome is Outcome<ActivityDto>.Ok)
            {
                Flash("Task created.");
                return LocalRedirect("/tasks");
            }
            if (!ShowProblem(outcome)) return NotFound();
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>One-click complete. htmx gets the refreshed groups; a plain form post gets the page again.</summary>
    public async Task<IActionResult> OnPostCompleteAsync(Guid id, CancellationToken ct)
    {
        if (ctx.TenantId is null) return Forbid();
        var outcome = await activities.CompleteAsync(id, ct);
        switch (outcome)
        {
            case Outcome<ActivityDto>.NotFound: return NotFound();
            case Outcome<ActivityDto>.Forbidden: return Forbid();
        }
        if (Request.Headers["HX-Request"] == "true")
        {
            await LoadGroupsAsync(ct);
            return Partial("_TaskGroups", Groups);
        }
        Flash(outcome is Outcome<ActivityDto>.Ok ? "Task completed." : "The task could not be completed. Reload and retry.",
            outcome is Outcome<ActivityDto>.Ok ? FlashKind.Success : FlashKind.Error);
        return LocalRedirect("/tasks");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await LoadGroupsAsync(ct);
        if (Form.LeadId is { } id && await leads.FindAsync(id, ct) is { } lead) LeadLabel = Display.FullName(lead.FirstName, lead.LastName);
    }

    private async Task LoadGroupsAsync(CancellationToken ct)
    {
        var tasks = await activities.MyPendingTasksAsync(ct);
        TaskGroup Group(string bucket, string title) => new(bucket, title, tasks.Where(t => t.Bucket == bucket).Select(t => t.Task).ToList());
        Groups = new TaskGroups(
            [Group(DueBuckets.Overdue, "Overdue"), Group(DueBuckets.Today, "Today"), Group(DueBuckets.Upcoming, "Upcoming")],
            ctx.Tenant, ActivityPermissions.CanEdit(ctx));
    }

    /// <summary>A datetime-local value (no offset) as an instant, reading it on the tenant's wall clock.</summary>
    private DateTimeOffset? ToUtc(string value)
    {
        if (!DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        var zone = TimeZones.FindOrUtc(ctx.Tenant?.TimeZone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30); // a wall time skipped by DST
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
