using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Outreach;

/// <summary>Outreach sending (issue 14 §2, ADR 0059): the sender worker, caps, unsubscribe, suppressions, bounces.</summary>
public static class OutreachComposition
{
    public static IServiceCollection AddOutreach(this IServiceCollection services)
    {
        services.AddValidatedOptions<OutreachOptions>(OutreachOptions.Section);
        services.AddScoped<IInboundEmailObserver, OutreachBounces>();
        services.AddHostedService<OutreachWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapOutreach(this IEndpointRouteBuilder app)
    {
        app.MapUnsubscribe();
        var suppressions = app.MapTenantApi("/suppressions", "Outreach");
        suppressions.MapGet("/", async (string? search, string? reason, SuppressionService service, CancellationToken ct) =>
                (await service.ListAsync(search, reason, ct)).ToResult(v => Results.Ok(v)))
            .Produces<SuppressionList>().ProducesValidationProblem()
            .WithSummary("The tenant's suppression list (managers, administrators), newest first, 500 at most: search in the address, filter by reason (unsubscribed, bounced, complaint, manual).");
        suppressions.MapPost("/", async ([FromBody] SuppressionWrite body, SuppressionService service, CancellationToken ct) =>
                (await service.AddAsync(body, ct)).ToResult(v => Results.Ok(v)))
            .Produces<SuppressionDto>().ProducesValidationProblem()
            .WithSummary("Suppress an address (managers, administrators): address, reason (default manual), note. An address already suppressed is returned as it is.");
        suppressions.MapDelete("/{address}", async (string address, SuppressionService service, CancellationToken ct) =>
                (await service.RemoveAsync(address, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204).ProducesProblem(404)
            .WithSummary("Remove an address from the suppression list (managers, administrators): outreach may email it again.");

        var mailboxes = app.MapTenantApi("/mailboxes", "Outreach");
        mailboxes.MapGet("/outreach", async (OutreachMailboxes service, CancellationToken ct) =>
                (await service.ListAsync(ct)).ToResult(v => Results.Ok(new { items = v })))
            .WithSummary("Outreach caps, pause and counts of the mailboxes the caller manages (owners, administrators).");
        mailboxes.MapGet("/{id:guid}/outreach", async (Guid id, OutreachMailboxes service, CancellationToken ct) =>
                (await service.GetAsync(id, ct)).ToResult(v => Results.Ok(v)))
            .Produces<OutreachMailboxDto>().ProducesProblem(404)
            .WithSummary("A mailbox's outreach caps (perMinute, perDay), pause (pausedAt, pausedReason) and what it sent in the last minute and day.");
        mailboxes.MapPut("/{id:guid}/outreach", async (Guid id, [FromBody] OutreachMailboxWrite body, OutreachMailboxes service, CancellationToken ct) =>
                (await service.UpdateAsync(id, body, ct)).ToResult(v => Results.Ok(v)))
            .Produces<OutreachMailboxDto>().ProducesValidationProblem().ProducesProblem(404)
            .WithSummary("Change a mailbox's outreach caps (its owner, administrators): perMinute (1–1000, default 10), perDay (rolling 24 hours, 1–100000, default 500).");
        mailboxes.MapPost("/{id:guid}/outreach/resume", async (Guid id, OutreachMailboxes service, CancellationToken ct) =>
                (await service.ResumeAsync(id, ct)).ToResult(v => Results.Ok(v)))
            .Produces<OutreachMailboxDto>().ProducesProblem(403).ProducesProblem(404)
            .WithSummary("Resume a mailbox's outreach sending after an auto-pause (administrators); queued email goes out again.");
        return app;
    }
}
