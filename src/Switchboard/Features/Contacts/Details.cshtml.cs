using Switchboard.Features.Accounts;
using Switchboard.Features.Activities;
using Switchboard.Features.Calls;
using Switchboard.Features.Dialer;
using Switchboard.Ui.Calls;
using Switchboard.Ui.Records;

namespace Switchboard.Features.Contacts;

// Wide on purpose: the contact page shows the contact, its account, calls, outcome step and timeline, each from its own service.
public sealed class DetailsModel(
    ContactService contacts, AccountService accounts, TenantContext ctx, SwitchboardDbContext db, TimelineService timeline, CallService calls,
    OutcomeStep outcomes) : RecordDetailsPage<ContactDto>(contacts, ctx, db, timeline)
{
    public ContactDto Contact => Record;

    /// <summary>The contact's account when this user may see it.</summary>
    public AccountDto? Account { get; private set; }

    /// <summary>Click-to-call rings the contact's first phone, as the lead page does for a lead.</summary>
    public bool CanCall => CallService.CanCall(Ctx) && Contact.Phones.Count > 0 && RecordPermissions.CanEdit(Ctx, Contact.OwnerId);

    /// <summary>The outcome card: the form for the agent's call with this contact that has no outcome yet.</summary>
    public CallOutcomePanel OutcomePanel { get; private set; } = null!;

    protected override string Noun => "contact";
    protected override string ListPath => "/contacts";

    protected override async Task LoadAsync(ContactDto contact, IReadOnlyList<OwnerOption> owners, CancellationToken ct)
    {
        if (contact.AccountId is { } accountId) Account = await accounts.FindAsync(accountId, ct);
        OutcomePanel = await OutcomePanelAsync(ct);
    }

    /// <summary>The outcome card alone, which outcome.js re-fetches when one of the agent's calls changes.</summary>
    public async Task<IActionResult> OnGetOutcomeAsync(CancellationToken ct)
    {
        if (await contacts.FindAsync(Id, ct) is null) return NotFound();
        return Partial("_CallOutcomePanel", await OutcomePanelAsync(ct));
    }

    /// <summary>Click-to-call: the provider rings the agent, then the contact. Compliance blocks come back as the flash.</summary>
    public async Task<IActionResult> OnPostCallAsync(CancellationToken ct) =>
        FlashAndRedirect(await calls.StartAsync(StartCallRequest.ForContact(Id), ct), _ => "Calling. Your phone rings first; the outcome form appears here when the call ends.", $"/contacts/{Id}", StartedCall.Blocked);

    /// <summary>Adds the contact to one of the caller's dialer queues (ADR 0035); the queue serves it beside its leads.</summary>
    public async Task<IActionResult> OnPostAddToQueueAsync(Guid queueId, [FromServices] DialerQueueMembers members, CancellationToken ct) =>
        FlashAndRedirect(await members.AddContactAsync(queueId, Id, ct),
            added => added ? "Added to the dialer queue." : "It is already in that dialer queue.", $"/contacts/{Id}");

    private async Task<CallOutcomePanel> OutcomePanelAsync(CancellationToken ct) =>
        await outcomes.PanelAsync(await outcomes.PendingForContactAsync(Id, ct), $"/contacts/{Id}", ct);
}
