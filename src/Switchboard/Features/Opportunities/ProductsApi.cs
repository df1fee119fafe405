namespace Switchboard.Features.Opportunities;

public static class ProductsApi
{
    /// <summary>The products module's endpoints live in this group: a module switch filter goes here once.</summary>
    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapTenantApi("/products", "Products").ForApiScope(ApiScopes.Opportunities);

        products.MapGet("/", async ([AsParameters] ProductQuery query, ProductService service, CancellationToken ct) =>
                (await service.ListAsync(query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<ProductDto>>()
            .ProducesValidationProblem();

        products.MapRecordApi<ProductService, ProductDto, ProductWrite>("/products", "product",
            deleteSummary: "A product that opportunities list cannot be deleted (409); deactivate it instead.");

        return products;
    }
}
