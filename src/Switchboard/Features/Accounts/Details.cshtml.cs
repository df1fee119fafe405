using Switchboard.Features.Activities;
using Switchboard.Features.Contacts;
using Switchboard.Ui.Records;

namespace Switchboard.Features.Accounts;

public sealed class DetailsModel(AccountService accounts, ContactService contacts, TenantContext ctx, SwitchboardDbContext db, TimelineService timeline)
    : RecordDetailsPage<AccountDto>(accounts, ctx, db, timeline)
{
    public AccountDto Account => Record;
    public IReadOnlyList<ContactRow> Contacts { get; private set; } = [];
    public bool CanAddContact => RecordPermissions.CanCreate(Ctx);

    protected override string Noun => "account";
    protected override string ListPath => "/accounts";

    protected override async Task LoadAsync(AccountDto account, IReadOnlyList<OwnerOption> owners, CancellationToken ct)
    {
        var list = await contacts.ListAsync(new ContactQuery(null, null, Id, "name", 1, PageRequest.MaxPageSize), ct);
        if (list is Outcome<PagedList<ContactDto>>.Ok ok)
            Contacts = ok.Value.Items.Select(c => new ContactRow(c, LeadOwners.NameOf(owners, c.OwnerId), Tenant)).ToList();
    }

    public string Address => string.Join(", ", new[] { Account.Street, Account.City, Account.Region, Account.PostalCode, Account.Country }.Where(p => p is not null));
}
