namespace Switchboard.Features.Opportunities;

public static class OpportunitiesApi
{
    /// <summary>The opportunities module's endpoints live in this group: a module switch filter goes here once.</summary>
    public static RouteGroupBuilder MapOpportunitiesApi(this IEndpointRouteBuilder app)
    {
        var opportunities = app.MapTenantApi("/opportunities", "Opportunities").ForApiScope(ApiScopes.Opportunities);

        opportunities.MapGet("/", async ([AsParameters] OpportunityQuery query, OpportunityService service, HttpRequest request, CancellationToken ct) =>
                (await service.ListAsync(query, Lists.ListCriteria.FromQuery(request.Query), ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<OpportunityDto>>()
            .ProducesValidationProblem()
            .WithSummary("List opportunities (agents see only their own). q matches the name; status is open, won or lost.");

        opportunities.MapGet("/board", async (Guid? pipelineId, OpportunityBoard board, CancellationToken ct) =>
                (await board.LoadAsync(pipelineId, ct)).ToResult(value => Results.Ok(value)))
            .Produces<BoardDto>()
            .ProducesProblem(404)
            .WithSummary("The kanban: a pipeline's stages (default pipeline unless named) with visible opportunities and totals.");

        opportunities.MapRecordApi<OpportunityService, OpportunityDto, OpportunityWrite>("/opportunities", "opportunity",
            patchSummary: "JSON merge patch. Moving to a lost stage needs lostReason; a stage change resets probability unless it is sent.");
        opportunities.MapOpportunityExport();

        opportunities.MapGet("/{id:guid}/products", async (Guid id, OpportunityLines lines, CancellationToken ct) =>
                await lines.GetAsync(id, ct) is { } value ? Results.Ok(value) : Problems.NotFound("The opportunity"))
            .Produces<LinesDto>()
            .ProducesProblem(404);

        opportunities.MapPut("/{id:guid}/products", async (Guid id, [FromBody] LinesWrite body, OpportunityLines lines, CancellationToken ct) =>
                (await lines.ReplaceAsync(id, body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<LinesDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("Replaces the product lines. While lines exist, the opportunity's amount is their sum.");

        var pipelines = app.MapTenantApi("/pipelines", "Pipelines").ForApiScope(ApiScopes.Opportunities);

        pipelines.MapGet("/", async (PipelineService service, CancellationToken ct) => Results.Ok(new PipelineList(await service.ListAsync(ct))))
            .Produces<PipelineList>()
            .WithSummary("The tenant's pipelines with their ordered stages; a default \"Sales\" pipeline exists from first use.");

        pipelines.MapRecordApi<PipelineService, PipelineDto, PipelineWrite>("/pipelines", "pipeline",
            patchSummary: "Merge patch; stages, when sent, replace the list in order (keep ids to keep stages). A stage in use cannot be removed (409).");

        return opportunities;
    }
}
