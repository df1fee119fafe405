using Switchboard.Features.Ai.VoiceAgents;
using Switchboard.Features.Outreach;

namespace Switchboard.Features.Campaigns;

/// <summary>Email and AI call campaigns (ADR 0061): the run job, the outcome observers, /api/v1/campaigns.</summary>
public static class CampaignsComposition
{
    public static IServiceCollection AddCampaigns(this IServiceCollection services)
    {
        services.AddJobHandler<CampaignRunner>();
        services.AddScoped<IOutboundEmailOutcomeObserver, CampaignEmailObserver>();
        services.AddScoped<IVoiceAgentCallObserver, CampaignCallObserver>();
        VoiceAgentOutboundCalls.Register(services);
        return services;
    }

    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantApi("/campaigns", "Campaigns");
        group.MapGet("/", async (CampaignService service, CancellationToken ct) => (await service.ListAsync(ct)).ToResult(v => Results.Ok(v)))
            .Produces<CampaignList>().ProducesProblem(403)
            .WithSummary("The tenant's campaigns, newest first, with their counters (managers, administrators).");
        group.MapPost("/", async ([FromBody] CampaignWrite body, CampaignService service, CancellationToken ct) =>
                (await service.CreateAsync(body, ct)).ToResult(v => Results.Created($"/api/v1/campaigns/{v.Id}", v)))
            .Produces<CampaignDto>(201).ProducesValidationProblem().ProducesProblem(403)
            .WithSummary("Create a draft campaign: name, kind (email|call), audience ({viewId} or {entity: lead|contact, ids}); email: mailboxId and templateId " +
                         "or subject and textBody/htmlBody; call: provider (callfluent|thoughtly), agentId, prompt?, concurrency (1–100).");
        group.MapGet("/{id:guid}", async (Guid id, CampaignService service, CancellationToken ct) => (await service.GetAsync(id, ct)).ToResult(v => Results.Ok(v)))
            .Produces<CampaignDto>().ProducesProblem(404)
            .WithSummary("One campaign: status (draft|running|paused|completed|cancelled), total, processed, sent, failed, skipped and why.");
        group.MapPatch("/{id:guid}", async (Guid id, [FromBody] CampaignWrite body, CampaignService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, body, ct)).ToResult(v => Results.Ok(v)))
            .Produces<CampaignDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Edit a draft (a JSON merge patch; kind is fixed). 409 once it has started.");
        MapTransition(group, "start", (s, id, ct) => s.StartAsync(id, ct),
            "Start a draft: a background job writes one recipient per person of the audience and enqueues their emails (at the mailbox's caps) or triggers their AI calls.");
        MapTransition(group, "pause", (s, id, ct) => s.PauseAsync(id, ct), "Pause a running campaign: nothing more is enqueued or called, and its queued emails wait.");
        MapTransition(group, "resume", (s, id, ct) => s.ResumeAsync(id, ct), "Resume a paused campaign where it stopped.");
        MapTransition(group, "cancel", (s, id, ct) => s.CancelAsync(id, ct), "Cancel a campaign: its queued emails are cancelled and the counters final.");
        group.MapGet("/{id:guid}/recipients", async (Guid id, string? status, CampaignService service, CancellationToken ct) =>
                (await service.RecipientsAsync(id, status, ct)).ToResult(v => Results.Ok(v)))
            .Produces<CampaignRecipientList>().ProducesValidationProblem().ProducesProblem(404)
            .WithSummary("The campaign's recipients in order (at most 1,000), optionally of one status: pending|queued|sent|failed|skipped|cancelled.");
        return app;
    }

    private static void MapTransition(RouteGroupBuilder group, string action, Func<CampaignService, Guid, CancellationToken, Task<Outcome<CampaignDto>>> run, string summary) =>
        group.MapPost($"/{{id:guid}}/{action}", async (Guid id, CampaignService service, CancellationToken ct) => (await run(service, id, ct)).ToResult(v => Results.Ok(v)))
            .Produces<CampaignDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409)
            .WithSummary(summary);
}
