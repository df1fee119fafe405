namespace Switchboard.Features.Search;

public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapTenantApi("/search", "Search")
            .MapGet("/", async (string? q, int? limit, GlobalSearch search, CancellationToken ct) =>
                (await search.SearchAsync(q, limit, ct)).ToResult(value => Results.Ok(value)))
            .Produces<SearchResults>()
            .ProducesValidationProblem()
            .WithSummary("Search leads, contacts, accounts and opportunities by name, email, phone digits, company or domain; typo-tolerant. Grouped by entity, best first.");
        return app;
    }
}
