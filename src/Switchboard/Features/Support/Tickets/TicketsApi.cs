namespace Switchboard.Features.Support.Tickets;

/// <summary>/api/v1/tickets and /api/v1/support/inboxes (ADR 0058).</summary>
public static class TicketsApi
{
    public static IEndpointRouteBuilder MapTicketsApi(this IEndpointRouteBuilder app)
    {
        var tickets = app.MapTenantApi("/tickets", "Support tickets");
        tickets.MapGet("/", async (string? status, string? assignee, string? priority, string? category, bool? breached, int? page, int? pageSize,
                    TicketService service, CancellationToken ct) =>
                (await service.ListAsync(new TicketListQuery(status, assignee, priority, category, breached, page, pageSize), ct)).ToResult(v => Results.Ok(v)))
            .Produces<PagedList<TicketDto>>().ProducesValidationProblem().ProducesProblem(403)
            .WithSummary("Tickets of the support inboxes the caller is a member of (administrators: all), newest first; filters status, assignee (me, unassigned or a user id), priority, category, breached (true: an SLA due time is past and unmet, or was met late).");
        tickets.MapGet("/{id:guid}", async (Guid id, TicketService service, HttpResponse response, CancellationToken ct) =>
                (await service.GetAsync(id, ct)).ToResult(v =>
                {
                    response.Headers.ETag = EndpointConventions.ETag(v.Ticket.Version);
                    return Results.Ok(v);
                }))
            .Produces<TicketDetailDto>().ProducesProblem(404)
            .WithSummary("One ticket with its messages in order (inbound and outbound), its triage and SLA.");
        tickets.MapPatch("/{id:guid}", async (Guid id, [FromBody] TicketWrite body, HttpContext http, TicketService service, CancellationToken ct) =>
            {
                var ifMatch = http.Request.IfMatchVersion();
                if (ifMatch == -1) return Problems.PreconditionFailed("If-Match must be an ETag returned by this API, such as \"3\".");
                return (await service.UpdateAsync(id, body, ifMatch, ct)).ToResult(v =>
                {
                    http.Response.Headers.ETag = EndpointConventions.ETag(v.Version);
                    return Results.Ok(v);
                });
            })
            .Accepts<TicketWrite>("application/merge-patch+json", "application/json")
            .Produces<TicketDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(412)
            .WithSummary("Change status, priority (the SLA due times follow), category or assigneeId. Send the version read (or If-Match) to refuse stale updates.");
        tickets.MapPost("/{id:guid}/reply", async (Guid id, [FromBody] TicketReplyWrite body, TicketService service, CancellationToken ct) =>
                (await service.ReplyAsync(id, body, ct)).ToResult(v => Results.Ok(v)))
            .Produces<TicketDetailDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Reply to the requester through the support inbox's SMTP server: subject \"Re: [#N] subject\", threaded on the latest message, saved to Sent, stamps the first response; status afterwards pending unless given.");

        var inboxes = app.MapTenantApi("/support/inboxes", "Support tickets");
        inboxes.MapGet("/", async (SupportInboxes service, CancellationToken ct) => (await service.ListAsync(ct)).ToResult(v => Results.Ok(new { items = v })))
            .ProducesProblem(403)
            .WithSummary("The shared mailboxes that are support inboxes (administrators).");
        inboxes.MapPut("/{mailboxId:guid}", async (Guid mailboxId, [FromBody] SupportInboxWrite body, SupportInboxes service, CancellationToken ct) =>
                (await service.SetAsync(mailboxId, body, ct)).ToResult(v => Results.Ok(v)))
            .Produces<SupportInboxDto>().ProducesValidationProblem().ProducesProblem(404)
            .WithSummary("Make a shared mailbox a support inbox (administrators): new threads dated from since (default now) become tickets.");
        inboxes.MapDelete("/{mailboxId:guid}", async (Guid mailboxId, SupportInboxes service, CancellationToken ct) =>
                (await service.RemoveAsync(mailboxId, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204).ProducesProblem(404)
            .WithSummary("Stop making tickets from the mailbox (administrators); its tickets stay, for administrators.");
        return app;
    }
}
