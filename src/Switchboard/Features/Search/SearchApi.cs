namespace Switchboard.Features.Search;

public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapTenantApi("/search", "Search")
            .MapGet("/", async (string? q, int? limit, string? kind, GlobalSearch search, CancellationToken ct) =>
                (await search.SearchAsync(q, limit, ct, kind)).ToResult(value => Results.Ok(value)))
            .Produces<SearchResults>()
            .ProducesValidationProblem()
            .WithSummary("Search leads, contacts, accounts and opportunities by name, email, phone digits, company or domain; typo-tolerant. Grouped by entity, best first; kind (lead, contact, account or opportunity) searches one entity only.");
        return app;
    }
}
