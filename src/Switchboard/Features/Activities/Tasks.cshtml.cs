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

/// <summary>
/// The task lists of /tasks. <see cref="Records"/> names what each task is about (a callback's Call button posts to that
/// record's click-to-call); <see cref="Members"/> is set on the team view, where each row shows its assignee and a
/// reassign form. <see cref="Query"/> is the view's query string, which the row forms carry back.
/// </summary>
public sealed record TaskGroups(IReadOnlyList<TaskGroup> Groups, TenantSettings? Tenant, bool CanComplete)
{
    public IReadOnlyDictionary<Guid, TaskRecord> Records { get; init; } = new Dictionary<Guid, TaskRecord>();
    public bool CanCall { get; init; }
    public IReadOnlyList<OwnerOption>? Members { get; init; }
    public string Query { get; init; } = "";

    public TaskRecord? RecordOf(ActivityDto task) => task.RelatedId is { } id ? Records.GetValueOrDefault(id) : null;
}

/// <summary>
/// "My tasks": the caller's pending tasks by due bucket (tenant's day), one-click complete, and a quick create form. Managers
/// and admins also get "Team tasks" (?view=team): every member's pending tasks, by assignee and due bucket, each reassignable.
/// </summary>
[RequireModule(ModuleNames.Activities)]
public sealed class TasksModel(ActivityService activities, LeadService leads, TaskRecords records, SwitchboardDbContext db, TenantContext ctx) : AppPageModel
{
    public const string GroupsTarget = "task-groups";
    public const string TeamView = "team";

    [BindProperty] public TaskForm Form { get; set; } = new();

    /// <summary>"team" for the team's tasks (managers and admins); anything else is "My tasks".</summary>
    [BindProperty(SupportsGet = true, Name = "view")] public string? Show { get; set; }
    /// <summary>Team view: only this member's tasks.</summary>
    [BindProperty(SupportsGet = true)] public Guid? Assignee { get; set; }
    /// <summary>Team view: only overdue, today's or upcoming tasks (<see cref="DueBuckets"/>).</summary>
    [BindProperty(SupportsGet = true)] public string? Due { get; set; }

    public bool CanSeeTeam => ActivityPermissions.CanAssignOthers(ctx);
    public bool IsTeam => Show == TeamView && CanSeeTeam;
    public IReadOnlyList<OwnerOption> Members { get; private set; } = [];

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
            switch (TimeZones.FromLocal(Form.Due, TimeZones.FindOrUtc(ctx.Tenant?.TimeZone), "due"))
            {
                case Outcome<DateTimeOffset>.Ok due:
                    body = body with { DueAt = Optional.Of<string?>(due.Value.ToString("O", CultureInfo.InvariantCulture)) };
                    break;
                case Outcome<DateTimeOffset>.Invalid invalid:
                    AddError("due", invalid.Errors["due"][0]);
                    break;
            }
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
        return LocalRedirect("/tasks" + QueryString());
    }

    /// <summary>Team view: gives a task to another member, through the activities API's rules (agents: 403) and audit.</summary>
    public async Task<IActionResult> OnPostReassignAsync(Guid id, Guid? assigneeId, CancellationToken ct)
    {
        if (ctx.TenantId is null) return Forbid();
        var outcome = await activities.UpdateAsync(id, new ActivityWrite { AssigneeId = Optional.Of(assigneeId) }, null, ct);
        return FlashAndRedirect(outcome, task => assigneeId is null ? $"“{task.Subject}” is unassigned now." : $"“{task.Subject}” reassigned.",
            "/tasks" + QueryString(), problem => problem is Outcome<ActivityDto>.Invalid invalid ? string.Join(" ", invalid.Errors.SelectMany(e => e.Value)) : null);
    }

    /// <summary>The view's own query string (view, assignee, due), for links and the row forms' redirects.</summary>
    public string QueryString()
    {
        if (!IsTeam) return "";
        var parts = new List<string> { "view=team" };
        if (Assignee is { } a) parts.Add($"assignee={a}");
        if (Due is not null && DueBuckets.All.Contains(Due)) parts.Add($"due={Due}");
        return "?" + string.Join("&", parts);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await LoadGroupsAsync(ct);
        if (Form.LeadId is { } id && await leads.FindAsync(id, ct) is { } lead) LeadLabel = Display.FullName(lead.FirstName, lead.LastName);
    }

    private async Task LoadGroupsAsync(CancellationToken ct)
    {
        var tasks = IsTeam ? await activities.TeamPendingTasksAsync(Assignee, Due, ct) : await activities.MyPendingTasksAsync(ct);
        if (IsTeam) Members = await LeadOwners.ListAsync(db, ct);
        TaskGroup Group(string bucket, string title) => new(bucket, title, tasks.Where(t => t.Bucket == bucket).Select(t => t.Task).ToList());
        IEnumerable<(string Bucket, string Title)> buckets = [(DueBuckets.Overdue, "Overdue"), (DueBuckets.Today, "Today"), (DueBuckets.Upcoming, "Upcoming")];
        if (IsTeam && Due is not null && DueBuckets.All.Contains(Due)) buckets = buckets.Where(b => b.Bucket == Due);
        Groups = new TaskGroups(buckets.Select(b => Group(b.Bucket, b.Title)).ToList(), ctx.Tenant, ActivityPermissions.CanEdit(ctx))
        {
            Records = await records.ForAsync(tasks.Select(t => t.Task), ct),
            CanCall = records.CanCall,
            Members = IsTeam ? Members : null,
            Query = QueryString(),
        };
    }
}
