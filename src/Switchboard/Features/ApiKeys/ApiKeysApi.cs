namespace Switchboard.Features.ApiKeys;

public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        // Keys never manage keys: a leaked key must not be able to mint another or revoke the one that replaces it.
        var keys = app.MapTenantApi("/api-keys", "API keys").RefuseApiKeys();

        keys.MapPost("/", async ([FromBody] ApiKeyCreate body, ApiKeyService service, CancellationToken ct) =>
                (await service.CreateAsync(body, ct)).ToResult(value => Results.Created($"/api/v1/api-keys/{value.Id}", value)))
            .Produces<ApiKeyCreated>(201)
            .ProducesValidationProblem()
            .WithSummary("Create an API key with a role or scopes, an optional expiry and IP allowlist (admin). The answer is the only time the key is shown.");

        keys.MapGet("/", async (ApiKeyService service, CancellationToken ct) =>
                (await service.ListAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<IReadOnlyList<ApiKeyDto>>()
            .WithSummary("The tenant's API keys, newest first, revoked and expired ones included, with when and from where each was last used (admin). Never the keys themselves.");

        keys.MapDelete("/{id:guid}", async (Guid id, ApiKeyService service, CancellationToken ct) =>
                (await service.RevokeAsync(id, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204)
            .ProducesProblem(404)
            .WithSummary("Revoke an API key: the next request that carries it is refused with 401 (admin).");

        return app;
    }
}
