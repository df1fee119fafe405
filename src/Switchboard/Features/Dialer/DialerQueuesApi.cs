namespace Switchboard.Features.Dialer;

/// <summary>The caller's own saved dialer queues. Private to their user: anyone else's queue is 404.</summary>
public static class DialerQueuesApi
{
    public static IEndpointRouteBuilder MapDialerQueuesApi(this IEndpointRouteBuilder app)
    {
        var queues = app.MapTenantApi("/dialer/queues", "Calls").RefuseApiKeys();

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

        queues.MapGet("/{id:guid}/leads", async (Guid id, int? page, int? pageSize, DialerQueueMembers members, CancellationToken ct) =>
                (await members.ListLeadsAsync(id, page, pageSize, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<DialerQueueLeadDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("The leads added to one of your queues by hand (those you may see), most recently added first; the leads its filter matches are not listed.");

        queues.MapPut("/{id:guid}/leads/{leadId:guid}", (Guid id, Guid leadId, DialerQueues own, DialerQueueMembers members, CancellationToken ct) =>
                AddAsync(id, own, () => members.AddLeadAsync(id, leadId, ct), "The lead", ct))
            .Produces(204)
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("Add a lead you may call (a phone, not do-not-call) to one of your queues by hand: served whatever the queue's filter says. Idempotent.");

        queues.MapDelete("/{id:guid}/leads/{leadId:guid}", async (Guid id, Guid leadId, DialerQueueMembers members, CancellationToken ct) =>
                (await members.RemoveLeadAsync(id, leadId, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204)
            .ProducesProblem(404)
            .WithSummary("Take a hand-added lead out of one of your queues (its filter may still match it). 404 when the queue is not yours or does not hold it.");

        queues.MapGet("/{id:guid}/contacts", async (Guid id, int? page, int? pageSize, DialerQueueMembers members, CancellationToken ct) =>
                (await members.ListContactsAsync(id, page, pageSize, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<DialerQueueContactDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("The contacts one of your queues holds (those you may see), most recently added first.");

        queues.MapPut("/{id:guid}/contacts/{contactId:guid}", (Guid id, Guid contactId, DialerQueues own, DialerQueueMembers members, CancellationToken ct) =>
                AddAsync(id, own, () => members.AddContactAsync(id, contactId, ct), "The contact", ct))
            .Produces(204)
            .ProducesValidationProblem()
            .ProducesProblem(403).ProducesProblem(404)
            .WithSummary("Add a contact you may call (it needs a phone) to one of your queues; the queue serves it beside its leads. Idempotent: a contact already in the queue is a 204 too.");

        queues.MapDelete("/{id:guid}/contacts/{contactId:guid}", async (Guid id, Guid contactId, DialerQueueMembers members, CancellationToken ct) =>
                (await members.RemoveContactAsync(id, contactId, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204)
            .ProducesProblem(404)
            .WithSummary("Take a contact out of one of your queues (the contact itself is not touched). 404 when the queue is not yours or does not hold it.");

        app.MapDialerSessionsApi();
        return app;
    }

    /// <summary>PUT of a member: 404 for a queue that is not the caller's, else the add's outcome (204 whether new or already there).</summary>
    private static async Task<IResult> AddAsync(Guid queueId, DialerQueues own, Func<Task<Outcome<bool>>> add, string what, CancellationToken ct)
    {
        if (await own.FindOwnAsync(queueId, ct) is null) return Problems.NotFound("The queue");
        return await add() switch
        {
            Outcome<bool>.Ok => Results.NoContent(),
            Outcome<bool>.NotFound => Problems.NotFound(what),
            var refused => refused.ToProblem(),
        };
    }
}
