namespace Switchboard.Features.Ai.CallPrep;

/// <summary>GET /api/v1/leads/{id}/call-prep and /api/v1/contacts/{id}/call-prep: read with the record's own API key scope.</summary>
public static class CallPrepApi
{
    private const string Summary =
        "Call prep for the {0}: who they are (with their local time), the last five interactions, open tasks (due soonest first), the last call " +
        "with its AI summary and open promises, the call script with its merge fields filled (queueId: one of your dialer queues), and seven " +
        "talking points (talkingPointsSource: history, or llm when one is configured). Whoever may see the {0} (agents: their own).";

    public static IEndpointRouteBuilder MapCallPrepApi(this IEndpointRouteBuilder app)
    {
        app.MapTenantApi("/leads", "AI call intelligence").ForApiScope(ApiScopes.Leads)
            .MapGet("/{id:guid}/call-prep", async (Guid id, [AsParameters] CallPrepQuery query, CallPrepService service, CancellationToken ct) =>
                (await service.ForLeadAsync(id, query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<CallPrepDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary(string.Format(CultureInfo.InvariantCulture, Summary, "lead"));

        app.MapTenantApi("/contacts", "AI call intelligence").ForApiScope(ApiScopes.Contacts)
            .MapGet("/{id:guid}/call-prep", async (Guid id, [AsParameters] CallPrepQuery query, CallPrepService service, CancellationToken ct) =>
                (await service.ForContactAsync(id, query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<CallPrepDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary(string.Format(CultureInfo.InvariantCulture, Summary, "contact"));
        return app;
    }
}
