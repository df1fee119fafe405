using Switchboard.Features.CustomFields;
using Switchboard.Features.Export;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Leads;

/// <summary>The lead list's CSV export: the list's selection, with its legacy status, owner and custom.&lt;key&gt; parameters.</summary>
public static class LeadExport
{
    public static Task<ExportOutcome> LeadsAsync(this ListExports exports, HttpResponse response, LeadQuery query,
        IReadOnlyDictionary<string, string>? customFilters, ListCriteria criteria, Guid? viewId, CancellationToken ct) =>
        exports.ExportAsync<LeadService, Lead, LeadDto>(response, CustomFieldEntities.Lead, viewId, criteria, async (leads, view, merged, errors) =>
        {
            query = query with { Search = query.Search ?? view?.Search, Sort = query.Sort ?? view?.Sort, Page = null, PageSize = null };
            var parameters = new Dictionary<string, string?> { ["status"] = query.Status, ["ownerId"] = query.OwnerId?.ToString() };
            foreach (var (key, value) in customFilters ?? new Dictionary<string, string>()) parameters[CustomFieldQueries.Prefix + key] = value;
            return await leads.SelectAsync(query, customFilters, merged, errors, ct) is { } rows
                ? new ExportRows<Lead, LeadDto>(rows.Selection.Exported, ListExports.Stream(rows.Ordered, LeadService.ToDto, ct), query.Search, query.Sort, parameters)
                : null;
        }, ct);

    public static RouteHandlerBuilder MapLeadExport(this RouteGroupBuilder leads) =>
        leads.MapGet("/export", async ([AsParameters] LeadQuery query, Guid? viewId, HttpContext http, ListExports exports, CancellationToken ct) =>
                (await exports.LeadsAsync(http.Response, query, CustomFieldQueries.FromQuery(http.Request.Query), ListCriteria.FromQuery(http.Request.Query), viewId, ct)).ToResult())
            .AsListExport();
}
