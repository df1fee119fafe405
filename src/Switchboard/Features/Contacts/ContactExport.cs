using Switchboard.Features.CustomFields;
using Switchboard.Features.Export;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Contacts;

/// <summary>The contact list's CSV export: the list's selection, with its q, owner and account parameters.</summary>
public static class ContactExport
{
    public static Task<ExportOutcome> ContactsAsync(this ListExports exports, HttpResponse response, ContactQuery query, ListCriteria criteria,
        Guid? viewId, CancellationToken ct) =>
        exports.ExportAsync<ContactService, Contact, ContactDto>(response, CustomFieldEntities.Contact, viewId, criteria, async (contacts, view, merged, errors) =>
        {
            query = query with { Q = query.Q ?? view?.Search, Sort = query.Sort ?? view?.Sort, Page = null, PageSize = null };
            return await contacts.SelectAsync(query, merged, errors, ct) is { } rows
                ? new ExportRows<Contact, ContactDto>(rows.Selection.Exported, ListExports.Stream(rows.Ordered, ContactService.ToDto, ct), query.Q, query.Sort,
                    new Dictionary<string, string?> { ["ownerId"] = query.OwnerId?.ToString(), ["accountId"] = query.AccountId?.ToString() })
                : null;
        }, ct);

    public static RouteHandlerBuilder MapContactExport(this RouteGroupBuilder contacts) =>
        contacts.MapGet("/export", async ([AsParameters] ContactQuery query, Guid? viewId, HttpContext http, ListExports exports, CancellationToken ct) =>
                (await exports.ContactsAsync(http.Response, query, ListCriteria.FromQuery(http.Request.Query), viewId, ct)).ToResult())
            .AsListExport();
}
