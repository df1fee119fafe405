namespace Switchboard.Features.Webhooks;

public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapTenantApi("/webhooks", "Webhooks").ForApiScope(ApiScopes.Webhooks);

        hooks.MapPost("/", async ([FromBody] WebhookWrite body, WebhookService service, CancellationToken ct) =>
                (await service.CreateAsync(body, ct)).ToResult(value => Results.Created($"/api/v1/webhooks/{value.Id}", value)))
            .Produces<WebhookSecret>(201).ProducesValidationProblem()
            .WithSummary("Create a webhook subscription (admin): url, events ([\"*\"] for all), optional description and changedFields. The answer is the only time the whsec_ secret is shown.");

        hooks.MapGet("/", async (WebhookService service, CancellationToken ct) => (await service.ListAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<WebhookList>()
            .WithSummary("The tenant's webhook subscriptions (admin), never their secrets.");

        hooks.MapGet("/{id:guid}", async (Guid id, WebhookService service, CancellationToken ct) => (await service.GetAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<WebhookDto>().ProducesProblem(404)
            .WithSummary("One webhook subscription (admin).");

        hooks.MapPatch("/{id:guid}", async (Guid id, [FromBody] WebhookWrite body, WebhookService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<WebhookDto>().ProducesValidationProblem().ProducesProblem(404)
            .WithSummary("Change a subscription's url, events, description, changedFields or enabled (admin). Enabling clears the reason it was disabled.");

        hooks.MapDelete("/{id:guid}", async (Guid id, WebhookService service, CancellationToken ct) =>
                (await service.DeleteAsync(id, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204).ProducesProblem(404)
            .WithSummary("Delete a subscription and its delivery log (admin).");

        hooks.MapPost("/{id:guid}/rotate-secret", async (Guid id, WebhookService service, CancellationToken ct) =>
                (await service.RotateSecretAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<WebhookSecret>().ProducesProblem(404)
            .WithSummary("A new signing secret, shown once; the previous one stays valid for 24 hours (deliveries carry both signatures).");

        hooks.MapGet("/{id:guid}/deliveries", async (Guid id, string? status, DateTimeOffset? from, WebhookService service, CancellationToken ct) =>
                (await service.DeliveriesAsync(id, status, from, ct)).ToResult(value => Results.Ok(value)))
            .Produces<WebhookDeliveryList>().ProducesValidationProblem().ProducesProblem(404)
            .WithSummary("The delivery log, newest first (200 at most): one row per attempt and the pending next ones; filter by status (pending, delivered, failed) and from (an instant).");

        hooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/replay", async (Guid id, Guid deliveryId, WebhookService service, CancellationToken ct) =>
                (await service.ReplayAsync(id, deliveryId, ct)).ToResult(value => Results.Accepted($"/api/v1/webhooks/{id}/deliveries", value)))
            .Produces<WebhookDeliveryDto>(202).ProducesProblem(404)
            .WithSummary("Send a delivery's event again (same event id, a new attempt).");

        hooks.MapPost("/{id:guid}/replay", async (Guid id, [FromBody] WebhookReplaySince body, WebhookService service, CancellationToken ct) =>
                (await service.ReplaySinceAsync(id, body, ct)).ToResult(value => Results.Accepted($"/api/v1/webhooks/{id}/deliveries", value)))
            .Produces<WebhookReplayed>(202).ProducesValidationProblem().ProducesProblem(404)
            .WithSummary("Send again every event this subscription was sent since an instant, in event order.");

        return app;
    }
}
