namespace Switchboard.Features.Tenants;

public static class TenantRateLimitsApi
{
    /// <summary>GET/PATCH /api/v1/tenants/{id}/rate-limits (superadmin; ADR 0046).</summary>
    public static RouteGroupBuilder MapTenantRateLimitsApi(this RouteGroupBuilder tenants)
    {
        tenants.MapGet("/{id:guid}/rate-limits", async (Guid id, TenantRateLimitsService service, CancellationToken ct) =>
                (await service.GetAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<TenantRateLimitsDto>()
            .ProducesProblem(404)
            .WithSummary("A tenant's API rate limits as they apply, which of them are its own, and the platform defaults (superadmin).");

        tenants.MapPatch("/{id:guid}/rate-limits", async (Guid id, [FromBody] TenantRateLimitsWrite patch, TenantRateLimitsService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, patch, ct)).ToResult(value => Results.Ok(value)))
            .Accepts<TenantRateLimitsWrite>("application/merge-patch+json", "application/json")
            .Produces<TenantRateLimitsDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("Changes a tenant's API rate limits (superadmin; audited); null puts a limit back to the platform default.");

        return tenants;
    }
}
