using Switchboard.Features.Contacts;
using Switchboard.Pages.Accounts;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;

namespace Switchboard.Pages.Contacts;

public sealed class IndexModel(ContactService contacts, TenantContext ctx, SwitchboardDbContext db) : CrmListPage<ContactDto>(ctx, db)
{
    public override string BasePath => "/contacts";
    public override string ResultsTarget => "contact-results";

    protected override Task<Outcome<PagedList<ContactDto>>> ListAsync(int page, CancellationToken ct) =>
        contacts.ListAsync(new ContactQuery(Q, Owner, null, Sort, page, PageSize), ct);
}
