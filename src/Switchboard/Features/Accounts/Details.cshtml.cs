using Switchboard.Features.Activities;
using Switchboard.Ui.Records;

namespace Switchboard.Features.Accounts;

public sealed class DetailsModel(AccountService accounts, AccountRelated related, TenantContext ctx, SwitchboardDbContext db, TimelineService timeline)
    : RecordDetailsPage<AccountDto>(accounts, ctx, db, timeline)
{
    public AccountDto Account => Record;
    public RelatedRows<ContactRow> Contacts { get; private set; } = new([], 0, "0", "/contacts");

    /// <summary>Null while the tenant has the opportunities module off: no card.</summary>
    public RelatedRows<OpportunityRow>? Opportunities { get; private set; }

    public bool CanAddContact => RecordPermissions.CanCreate(Ctx);

    protected override string Noun => "account";
    protected override string ListPath => "/accounts";

    protected override async Task LoadAsync(AccountDto account, IReadOnlyList<OwnerOption> owners, CancellationToken ct)
    {
        Contacts = await related.ContactsAsync(Id, owners, Tenant, ct);
        Opportunities = await related.OpportunitiesAsync(Id, ct);
    }

    public string Address => string.Join(", ", new[] { Account.Street, Account.City, Account.Region, Account.PostalCode, Account.Country }.Where(p => p is not null));
}
