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
        Map(app, "/leads", ApiScopes.Leads, "lead", (service, id, query, ct) => service.ForLeadAsync(id, query, ct));
        Map(app, "/contacts", ApiScopes.Contacts, "contact", (service, id, query, ct) => service.ForContactAsync(id, query, ct));
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, string records, string scope, string record,
        Func<CallPrepService, Guid, CallPrepQuery, CancellationToken, Task<Outcome<CallPrepDto>>> prepare) =>
        app.MapTenantApi(records, "AI call intelligence").ForApiScope(scope)
            .MapGet("/{id:guid}/call-prep", async (Guid id, [AsParameters] CallPrepQuery query, CallPrepService service, CancellationToken ct) =>
                (await prepare(service, id, query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<CallPrepDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary(string.Format(CultureInfo.InvariantCulture, Summary, record));
}
