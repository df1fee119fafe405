using Switchboard.Features.Accounts;
using Switchboard.Features.Activities;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Ui;
using Switchboard.Ui.Forms;
using Switchboard.Ui.Timeline;

namespace Switchboard.Features.Accounts;

public sealed class DetailsModel(AccountService accounts, ContactService contacts, TenantContext ctx, SwitchboardDbContext db, TimelineService timeline)
    : AppPageModel, IRecordTimelinePage
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }

    public AccountDto Account { get; private set; } = null!;
    public string OwnerName { get; private set; } = "";
    public IReadOnlyList<ContactRow> Contacts { get; private set; } = [];
    public TenantSettings? Tenant => ctx.Tenant;
    public bool CanEdit => RecordPermissions.CanEdit(ctx, Account.OwnerId);
    public bool CanDelete => RecordPermissions.CanDelete(ctx);
    public bool CanAddContact => RecordPermissions.CanCreate(ctx);
    public TimelineView? RecordTimeline { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await accounts.FindAsync(Id, ct) is not { } account) return NotFound();
        Account = account;
        var owners = await LeadOwners.ListAsync(db, ct);
        OwnerName = LeadOwners.NameOf(owners, account.OwnerId);
        var list = await contacts.ListAsync(new ContactQuery(null, null, Id, "name", 1, PageRequest.MaxPageSize), ct);
        if (list is Outcome<PagedList<ContactDto>>.Ok ok)
            Contacts = ok.Value.Items.Select(c => new ContactRow(c, LeadOwners.NameOf(owners, c.OwnerId), Tenant)).ToList();
        RecordTimeline = await TimelineView.BuildAsync(timeline, ctx, "account", Id, TimelineView.PageFrom(Request), ct);
        return Page();
    }

    /// <summary>Adds, edits or deletes a note of the timeline card (_NoteForm).</summary>
    public Task<IActionResult> OnPostNoteAsync([FromServices] NoteService notes, [Bind(Prefix = "Note")] NoteForm note, CancellationToken ct) =>
        NoteFormHandler.HandleAsync(this, notes, note, "account", Id, () => OnGetAsync(ct), ct);

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        switch (await accounts.DeleteAsync(Id, ct))
        {
            case Outcome<bool>.Ok:
                Flash("Account deleted.");
                return LocalRedirect("/accounts");
            case Outcome<bool>.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
    }

    public string Address => string.Join(", ", new[] { Account.Street, Account.City, Account.Region, Account.PostalCode, Account.Country }.Where(p => p is not null));
}
