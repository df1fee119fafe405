using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Support.Tickets;

/// <summary>Settings → Support → Support inboxes (administrators): which shared mailboxes turn new mail into tickets.</summary>
public sealed class SupportInboxesModel(SupportInboxes inboxes, SwitchboardDbContext db, TenantContext ctx) : AppPageModel
{
    public IReadOnlyList<Mailbox> Shared { get; private set; } = [];
    public IReadOnlyDictionary<Guid, SupportInboxDto> Current { get; private set; } = new Dictionary<Guid, SupportInboxDto>();
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!MailboxAccess.IsAdmin(ctx)) return Forbid();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMarkAsync(Guid mailboxId, CancellationToken ct) =>
        FlashAndRedirect(await inboxes.SetAsync(mailboxId, new SupportInboxWrite(), ct), i => $"{i.Address} is a support inbox: new mail from now on becomes tickets.",
            "/settings/support/inboxes");

    public async Task<IActionResult> OnPostUnmarkAsync(Guid mailboxId, CancellationToken ct) =>
        FlashAndRedirect(await inboxes.RemoveAsync(mailboxId, ct), _ => "The mailbox no longer makes tickets; its tickets stay.", "/settings/support/inboxes");

    private async Task LoadAsync(CancellationToken ct)
    {
        Shared = await db.Set<Mailbox>().AsNoTracking().Where(m => m.Kind == MailboxKinds.Shared).OrderBy(m => m.Name).ToListAsync(ct);
        if (await inboxes.ListAsync(ct) is Outcome<IReadOnlyList<SupportInboxDto>>.Ok ok) Current = ok.Value.ToDictionary(i => i.MailboxId);
    }
}
