namespace Switchboard.Features.Tenants;

public static class TenantsApi
{
    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder app)
    {
        var tenants = app.MapPlatformApi("/tenants", "Tenants");
        tenants.MapTenantRateLimitsApi();

        tenants.MapGet("/", async (int? page, int? pageSize, TenantService service, CancellationToken ct) =>
                (await service.ListAsync(page, pageSize, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<TenantDto>>()
            .WithSummary("All tenants (superadmin).");

        tenants.MapPost("/", async ([FromBody] TenantWrite body, TenantService service, CancellationToken ct) =>
                (await service.CreateAsync(body, ct)).ToResult(value => Results.Created($"/api/v1/tenants/{value.Id}", value)))
            .Produces<TenantDto>(201)
            .ProducesValidationProblem()
            .WithSummary("Create a tenant (superadmin).");

        tenants.MapPatch("/{id:guid}", async (Guid id, [FromBody] TenantWrite patch, TenantService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, patch, ct)).ToResult(value => Results.Ok(value)))
            .Accepts<TenantWrite>("application/merge-patch+json", "application/json")
            .Produces<TenantDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("Update a tenant; isActive=false deactivates it (its users lose access at once).");

        return app;
    }
}
