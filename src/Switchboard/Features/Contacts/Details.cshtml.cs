using Switchboard.Features.Accounts;
using Switchboard.Features.Activities;
using Switchboard.Ui.Records;

namespace Switchboard.Features.Contacts;

public sealed class DetailsModel(ContactService contacts, AccountService accounts, TenantContext ctx, SwitchboardDbContext db, TimelineService timeline)
    : RecordDetailsPage<ContactDto>(contacts, ctx, db, timeline)
{
    public ContactDto Contact => Record;

    /// <summary>The contact's account when this user may see it.</summary>
    public AccountDto? Account { get; private set; }

    protected override string Noun => "contact";
    protected override string ListPath => "/contacts";

    protected override async Task LoadAsync(ContactDto contact, IReadOnlyList<OwnerOption> owners, CancellationToken ct)
    {
        if (contact.AccountId is { } accountId) Account = await accounts.FindAsync(accountId, ct);
    }
}
