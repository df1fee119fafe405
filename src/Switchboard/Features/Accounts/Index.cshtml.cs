using Switchboard.Features.CustomFields;
using Switchboard.Features.Export;
using Switchboard.Features.Lists;
using Switchboard.Features.Views;
using Switchboard.Ui.Lists;

namespace Switchboard.Features.Accounts;

public sealed class IndexModel(AccountService accounts, CustomFieldValidator customFields, ViewService views, TenantContext ctx, SwitchboardDbContext db)
    : CrmListPage<Account, AccountDto>(ctx, db, views, customFields)
{
    public override string BasePath => "/accounts";
    protected override string Entity => CustomFieldEntities.Account;

    protected override ListCatalogue<Account, AccountDto> Catalogue(CustomFieldSet custom) => AccountList.Catalogue(custom);

    protected override Task<Outcome<PagedList<AccountDto>>> ListAsync(int page, ListCriteria criteria, CancellationToken ct) =>
        accounts.ListAsync(new AccountQuery(Q, Owner, Sort, page, PageSize), criteria, ct);

    protected override Task<ExportOutcome> ExportAsync(ListExports exports, ListCriteria criteria, CancellationToken ct) =>
        exports.AccountsAsync(Response, new AccountQuery(Q, Owner, Sort, null, null), criteria, null, ct);
}
