using Switchboard.Features.Accounts;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Export;
using Switchboard.Features.Lists;
using Switchboard.Features.Views;
using Switchboard.Ui.Lists;
using Switchboard.Features.Dialer;

namespace Switchboard.Features.Accounts;

public sealed class IndexModel(AccountService accounts, CustomFieldValidator customFields, ViewService views, TenantContext ctx, SwitchboardDbContext db)
    : CrmListPage<Account, AccountDto>(ctx, db, views)
{
    public override string BasePath => "/accounts";
    public override string ResultsTarget => "account-results";
    public override string FormId => "account-filters";
    protected override string Entity => CustomFieldEntities.Account;

    protected override async Task<ListCatalogue<Account, AccountDto>> CatalogueAsync(CancellationToken ct) =>
        AccountList.Catalogue(await customFields.ForEntityAsync(CustomFieldEntities.Account, ct));

    protected override Task<Outcome<PagedList<AccountDto>>> ListAsync(int page, ListCriteria criteria, CancellationToken ct) =>
        accounts.ListAsync(new AccountQuery(Q, Owner, Sort, page, PageSize), criteria, ct);

    protected override Task<ExportOutcome> ExportAsync(ListExports exports, ListCriteria criteria, CancellationToken ct) =>
        exports.AccountsAsync(Response, new AccountQuery(Q, Owner, Sort, null, null), criteria, null, accounts, ct);
}
