using Switchboard.Features.Accounts;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;

namespace Switchboard.Pages.Accounts;

public sealed class IndexModel(AccountService accounts, TenantContext ctx, SwitchboardDbContext db) : CrmListPage<AccountDto>(ctx, db)
{
    public override string BasePath => "/accounts";
    public override string ResultsTarget => "account-results";

    protected override Task<Outcome<PagedList<AccountDto>>> ListAsync(int page, CancellationToken ct) =>
        accounts.ListAsync(new AccountQuery(Q, Owner, Sort, page, PageSize), ct);
}
