namespace Switchboard.Features.Telephony;

public static class TelephonyApi
{
    public static IEndpointRouteBuilder MapTelephonyApi(this IEndpointRouteBuilder app)
    {
        var providers = app.MapTenantApi("/telephony/providers", "Telephony");

        providers.MapGet("/", async (ProviderSettingsService service, CancellationToken ct) =>
                (await service.ListAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<IReadOnlyList<ProviderView>>()
            .WithSummary("Every provider with its settings; secrets show only as set / not set (admins).");

        providers.MapGet("/{provider}", async (string provider, ProviderSettingsService service, CancellationToken ct) =>
                (await service.GetAsync(provider, ct)).ToResult(value => Results.Ok(value)))
            .Produces<ProviderView>()
            .ProducesProblem(404);

        providers.MapPut("/{provider}", async (string provider, [FromBody] ProviderSettingsWrite body, ProviderSettingsService service, CancellationToken ct) =>
                (await service.PutAsync(provider, body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<ProviderView>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("Set a provider's settings and secrets (twilio: accountSid, authToken, callerId, apiBaseUrl; signalwire: spaceUrl, projectId, apiToken, signingKey, callerId; simulator: answerRate, ringSeconds, talkSeconds, …). \"active\": true makes it the tenant's one active provider.");

        return app;
    }
}
