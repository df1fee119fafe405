using Switchboard.Features.CustomFields;
using Switchboard.Features.Export;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Opportunities;

/// <summary>The opportunity list's CSV export: the list's selection, with its status, owner, pipeline, stage and account parameters.</summary>
public static class OpportunityExport
{
    public static Task<ExportOutcome> OpportunitiesAsync(this ListExports exports, HttpResponse response, OpportunityQuery query, ListCriteria criteria,
        Guid? viewId, CancellationToken ct) =>
        exports.ExportAsync<OpportunityService, Opportunity, OpportunityDto>(response, CustomFieldEntities.Opportunity, viewId, criteria, async (opportunities, view, merged, errors) =>
        {
            query = query with { Q = query.Q ?? view?.Search, Sort = query.Sort ?? view?.Sort, Page = null, PageSize = null };
            var parameters = new Dictionary<string, string?>
            {
                ["status"] = query.Status, ["ownerId"] = query.OwnerId?.ToString(), ["pipelineId"] = query.PipelineId?.ToString(),
                ["stageId"] = query.StageId?.ToString(), ["accountId"] = query.AccountId?.ToString(),
            };
            return await opportunities.SelectAsync(query, merged, errors, ct) is { } rows
                ? new ExportRows<Opportunity, OpportunityDto>(rows.Selection.Exported, opportunities.StreamAsync(rows.Ordered, ct), query.Q, query.Sort, parameters)
                : null;
        }, ct);

    /// <summary>Mapped in the opportunities group, so the module switch applies to the export too.</summary>
    public static RouteHandlerBuilder MapOpportunityExport(this RouteGroupBuilder opportunities) =>
        opportunities.MapGet("/export", async ([AsParameters] OpportunityQuery query, Guid? viewId, HttpContext http, ListExports exports, CancellationToken ct) =>
                (await exports.OpportunitiesAsync(http.Response, query, ListCriteria.FromQuery(http.Request.Query), viewId, ct)).ToResult())
            .AsListExport();
}
