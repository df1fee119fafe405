using Switchboard.Features.Activities;
using Switchboard.Features.Modules;
using Switchboard.Ui.Timeline;

namespace Switchboard.Ui.Records;

/// <summary>
/// What the account, contact and lead pages share: the record from the route (404 when the caller may not see it), its
/// owner's name, the edit and delete rights, the timeline card with its note and task forms, and the delete button's handler.
/// A page adds what only it shows in <see cref="LoadAsync"/>.
/// </summary>
public abstract class RecordDetailsPage<TDto>(IRecordLookup<TDto> records, TenantContext ctx, SwitchboardDbContext db, TimelineService timeline)
    : AppPageModel, IRecordTimelinePage
    where TDto : class, IVersionedDto
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }

    protected TenantContext Ctx { get; } = ctx;

    public string OwnerName { get; private set; } = "";
    public TenantSettings? Tenant => Ctx.Tenant;
    public bool CanEdit => RecordPermissions.CanEdit(Ctx, Record.OwnerId);
    public bool CanDelete => RecordPermissions.CanDelete(Ctx);
    public TimelineView? RecordTimeline { get; set; }

    protected TDto Record { get; private set; } = null!;

    /// <summary>The record's name in the timeline, the audit log and messages ("account").</summary>
    protected abstract string Noun { get; }

    /// <summary>Where the page goes after the record is deleted ("/accounts").</summary>
    protected abstract string ListPath { get; }

    /// <summary>Loads what this page shows beyond the record, its owner and its timeline.</summary>
    protected virtual Task LoadAsync(TDto record, IReadOnlyList<OwnerOption> owners, CancellationToken ct) => Task.CompletedTask;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await records.FindAsync(Id, ct) is not { } record) return NotFound();
        Record = record;
        var owners = await LeadOwners.ListAsync(db, ct);
        OwnerName = LeadOwners.NameOf(owners, record.OwnerId);
        await LoadAsync(record, owners, ct);
        RecordTimeline = await TimelineAsync(ct);
        return Page();
    }

    /// <summary>The timeline card alone, which timeline.js re-fetches when one of the record's calls changes. Same visibility as the page.</summary>
    public async Task<IActionResult> OnGetTimelineAsync(CancellationToken ct)
    {
        if (await records.FindAsync(Id, ct) is null || await TimelineAsync(ct) is not { } view) return NotFound();
        return Partial("_Timeline", view);
    }

    private async Task<TimelineView?> TimelineAsync(CancellationToken ct) =>
        await TimelineView.BuildAsync(timeline, Ctx, Noun, Id, TimelineView.PageFrom(Request), ct) is { } view
            ? view with
            {
                RefreshUrl = $"{Request.PathBase}{Request.Path}?handler=Timeline&{TimelineView.PageParameter}={view.Page}",
                CanAddTasks = ActivityPermissions.CanWrite(Ctx),
            }
            : null;

    /// <summary>Adds, edits or deletes a note of the timeline card (_NoteForm).</summary>
    public Task<IActionResult> OnPostNoteAsync([FromServices] NoteService notes, [Bind(Prefix = "Note")] NoteForm note, CancellationToken ct) =>
        NoteFormHandler.HandleAsync(this, notes, note, Noun, Id, () => OnGetAsync(ct), ct);

    /// <summary>Adds a task (or call, email, meeting) about the record from the timeline card (_TaskForm), as on the Tasks page: agents assign it to themselves.</summary>
    public async Task<IActionResult> OnPostTaskAsync(
        [FromServices] ActivityService activities, [FromServices] ModuleSettings modules, [Bind(Prefix = "Task")] TimelineTaskForm task, CancellationToken ct)
    {
        if (!await modules.IsEnabledAsync(ModuleNames.Activities, ct) || await records.FindAsync(Id, ct) is null) return NotFound();
        return await TaskFormHandler.HandleAsync(this, activities, task, Noun, Id, Ctx, () => OnGetAsync(ct), ct);
    }

    /// <summary>Only a role that may delete gets as far as looking the record up.</summary>
    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct) =>
        CanDelete ? AfterDelete(await records.DeleteAsync(Id, ct), $"{Display.Label(Noun)} deleted.", ListPath) : Forbid();
}
