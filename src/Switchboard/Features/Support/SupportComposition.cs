using Switchboard.Features.Mailboxes;
using Switchboard.Features.Support.Tickets;
using Switchboard.Features.Support.Triage;

namespace Switchboard.Features.Support;

/// <summary>Support inbox (issue 14 §3): triage settings and trying the triage on one email (ADR 0057), support inboxes and tickets (ADR 0058).</summary>
public static class SupportComposition
{
    /// <summary>Support tickets (ADR 0058): inbound mail on a support inbox becomes tickets.</summary>
    public static IServiceCollection AddSupport(this IServiceCollection services) =>
        services.AddScoped<IInboundEmailObserver, TicketIntake>();

    public static IEndpointRouteBuilder MapSupport(this IEndpointRouteBuilder app)
    {
        var support = app.MapTenantApi("/support", "Support");
        support.MapGet("/settings", async (SupportSettingsService service, CancellationToken ct) => Results.Ok(await service.GetAsync(ct)))
            .Produces<SupportSettingsDto>()
            .WithSummary("The tenant's support settings: categories with their keywords, SLA targets per priority (hours to first response and to resolution, business hours or not), reply templates per category; isDefault until an administrator saves them (members).");
        support.MapPut("/settings", async ([FromBody] SupportSettingsWrite body, SupportSettingsService service, CancellationToken ct) =>
                (await service.PutAsync(body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<SupportSettingsDto>()
            .ProducesValidationProblem()
            .WithSummary("Replace the support settings (administrators): categories (not \"other\", which always exists), slaTargets for urgent, high, normal and low, replyTemplates (Liquid; first_name, ticket_reference).");
        support.MapPost("/triage", async ([FromBody] TriageRequest body, TriageService service, CancellationToken ct) =>
                (await service.TryAsync(body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<TriageResult>()
            .ProducesValidationProblem()
            .WithSummary("Triage one email as if it had just arrived (agents and above): category, priority, sentiment, a suggested reply and the reasons with the email's words; engine llm or rules, fallback saying why the rules engine answered although a model is configured, and the SLA targets of the priority.");
        app.MapTicketsApi();
        return app;
    }
}
