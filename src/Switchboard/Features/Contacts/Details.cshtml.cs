using Switchboard.Features.Accounts;
using Switchboard.Features.Activities;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Ui;
using Switchboard.Ui.Forms;
using Switchboard.Ui.Timeline;

namespace Switchboard.Features.Contacts;

public sealed class DetailsModel(ContactService contacts, AccountService accounts, TenantContext ctx, SwitchboardDbContext db, TimelineService timeline)
    : AppPageModel, IRecordTimelinePage
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }

    public ContactDto Contact { get; private set; } = null!;
    public string OwnerName { get; private set; } = "";

    /// <summary>The contact's account when this user may see it.</summary>
    public AccountDto? Account { get; private set; }
    public TenantSettings? Tenant => ctx.Tenant;
    public bool CanEdit => RecordPermissions.CanEdit(ctx, Contact.OwnerId);
    public bool CanDelete => RecordPermissions.CanDelete(ctx);
    public TimelineView? RecordTimeline { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await contacts.FindAsync(Id, ct) is not { } contact) return NotFound();
        Contact = contact;
        OwnerName = LeadOwners.NameOf(await LeadOwners.ListAsync(db, ct), contact.OwnerId);
        if (contact.AccountId is { } accountId) Account = await accounts.FindAsync(accountId, ct);
        RecordTimeline = await TimelineView.BuildAsync(timeline, ctx, "contact", Id, TimelineView.PageFrom(Request), ct);
        return Page();
    }

    /// <summary>Adds, edits or deletes a note of the timeline card (_NoteForm).</summary>
    public Task<IActionResult> OnPostNoteAsync([FromServices] NoteService notes, [Bind(Prefix = "Note")] NoteForm note, CancellationToken ct) =>
        NoteFormHandler.HandleAsync(this, notes, note, "contact", Id, () => OnGetAsync(ct), ct);

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        switch (await contacts.DeleteAsync(Id, ct))
        {
            case Outcome<bool>.Ok:
                Flash("Contact deleted.");
                return LocalRedirect("/contacts");
            case Outcome<bool>.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
    }
}
