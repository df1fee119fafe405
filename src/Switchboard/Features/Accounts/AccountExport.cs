using Switchboard.Features.CustomFields;
using Switchboard.Features.Export;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Accounts;

/// <summary>The account list's CSV export: the list's selection, with its q and owner parameters.</summary>
public static class AccountExport
{
    public static Task<ExportOutcome> AccountsAsync(this ListExports exports, HttpResponse response, AccountQuery query, ListCriteria criteria,
        Guid? viewId, CancellationToken ct) =>
        exports.ExportAsync<AccountService, Account, AccountDto>(response, CustomFieldEntities.Account, viewId, criteria, async (accounts, view, merged, errors) =>
        {
            query = query with { Q = query.Q ?? view?.Search, Sort = query.Sort ?? view?.Sort, Page = null, PageSize = null };
            return await accounts.SelectAsync(query, merged, errors, ct) is { } rows
                ? new ExportRows<Account, AccountDto>(rows.Selection.Exported, ListExports.Stream(rows.Ordered, AccountService.ToDto, ct), query.Q, query.Sort,
                    new Dictionary<string, string?> { ["ownerId"] = query.OwnerId?.ToString() })
                : null;
        }, ct);

    public static RouteHandlerBuilder MapAccountExport(this RouteGroupBuilder accounts) =>
        accounts.MapGet("/export", async ([AsParameters] AccountQuery query, Guid? viewId, HttpContext http, ListExports exports, CancellationToken ct) =>
                (await exports.AccountsAsync(http.Response, query, ListCriteria.FromQuery(http.Request.Query), viewId, ct)).ToResult())
            .AsListExport();
}
