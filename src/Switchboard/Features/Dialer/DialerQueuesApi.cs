namespace Switchboard.Features.Dialer;

/// <summary>The caller's own saved dialer queues. Private to their user: anyone else's queue is 404.</summary>
public static class DialerQueuesApi
{
    public static IEndpointRouteBuilder MapDialerQueuesApi(this IEndpointRouteBuilder app)
    {
        var queues = app.MapTenantApi("/dialer/queues", "Calls");

        queues.MapGet("/", async (DialerQueues service, TenantContext ctx, CancellationToken ct) =>
                DialerQueues.CanUse(ctx) ? Results.Ok(await service.ListOwnAsync(ct)) : Problems.Forbidden("Your role cannot use the dialer."))
            .Produces<IReadOnlyList<DialerQueueDto>>()
            .WithSummary("Your saved dialer queues, by name.");

        queues.MapGet("/{id:guid}", async (Guid id, DialerQueues service, CancellationToken ct) =>
                await service.FindOwnAsync(id, ct) is { } queue ? Results.Ok(queue) : Problems.NotFound("The queue"))
            .Produces<DialerQueueDto>()
            .ProducesProblem(404);

        queues.MapPost("/", async ([FromBody] DialerQueueWrite body, DialerQueues service, CancellationToken ct) =>
                (await service.CreateAsync(body, ct)).ToResult(value => Results.Created($"/api/v1/dialer/queues/{value.Id}", value)))
            .Produces<DialerQueueDto>(201)
            .ProducesValidationProblem()
            .WithSummary("Save a queue: name, statuses, neverCalled or lastCalledBefore, ownerId (managers and admins).");

        queues.MapPatch("/{id:guid}", async (Guid id, [FromBody] DialerQueueWrite patch, DialerQueues service, CancellationToken ct) =>
                (await service.UpdateAsync(id, patch, ct)).ToResult(value => Results.Ok(value)))
            .Accepts<DialerQueueWrite>("application/merge-patch+json", "application/json")
            .Produces<DialerQueueDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("Rename or change one of your queues (JSON merge patch).");

        queues.MapDelete("/{id:guid}", async (Guid id, DialerQueues service, CancellationToken ct) =>
                (await service.DeleteAsync(id, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204)
            .ProducesProblem(404);

        app.MapDialerSessionsApi();
        return app;
    }
}
