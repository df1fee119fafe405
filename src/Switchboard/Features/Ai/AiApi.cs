using Switchboard.Features.Ai.Llm;
using Switchboard.Features.Ai.VoiceAgents;

namespace Switchboard.Features.Ai;

public static class AiApi
{
    public static IEndpointRouteBuilder MapAiApi(this IEndpointRouteBuilder app)
    {
        var calls = app.MapTenantApi("/calls", "AI call intelligence").ForApiScope(ApiScopes.Calls);

        calls.MapPut("/{id:guid}/transcript", async (Guid id, [FromBody] TranscriptWrite body, AnalysisService service, CancellationToken ct) =>
                (await service.PutTranscriptAsync(id, body, ct)).ToResult(value => Results.Json(value, statusCode: StatusCodes.Status202Accepted)))
            .Produces<CallAnalysisDto>(202)
            .ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Store the call's transcript, as {\"text\": \"…\"} or {\"utterances\": [{\"speaker\": \"agent\"|\"contact\", \"start\": 0.0, \"end\": 4.2, \"text\": \"…\"}]}, and queue its analysis (it replaces an earlier transcript). Agents and above, on calls they may see.");

        calls.MapGet("/{id:guid}/analysis", async (Guid id, AnalysisService service, CancellationToken ct) =>
                (await service.GetAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<CallAnalysisDto>()
            .ProducesProblem(404)
            .WithSummary("The call's analysis: summary, sentiment, requests, commitments, action items with their quotes and tasks, fulfilled tasks, talk metrics. status is pending until the analysis has run.");

        calls.MapPost("/{id:guid}/analysis", async (Guid id, AnalysisService service, CancellationToken ct) =>
                (await service.RerunAsync(id, ct)).ToResult(value => Results.Json(value, statusCode: StatusCodes.Status202Accepted)))
            .Produces<CallAnalysisDto>(202)
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Run the analysis again. The new one replaces the old: what the old one changed is taken back first, and nothing is created twice.");

        calls.MapPost("/{id:guid}/analysis/undo", async (Guid id, AnalysisService service, CancellationToken ct) =>
                (await service.UndoAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<CallAnalysisDto>()
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Undo the AI's changes from this call: its summary note, the tasks it created (those changed since are kept) and the tasks it marked done.");

        calls.MapPost("/{id:guid}/analysis/items/{index:int}/accept", async (Guid id, int index, AnalysisService service, CancellationToken ct) =>
                (await service.AcceptAsync(id, index, ct)).ToResult(value => Results.Ok(value)))
            .Produces<CallAnalysisDto>()
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Make a suggested action item (by its index in actionItems) a task.");

        calls.MapPost("/{id:guid}/analysis/items/{index:int}/dismiss", async (Guid id, int index, AnalysisService service, CancellationToken ct) =>
                (await service.DismissAsync(id, index, ct)).ToResult(value => Results.Ok(value)))
            .Produces<CallAnalysisDto>()
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Dismiss a suggested action item (by its index in actionItems).");

        var settings = app.MapTenantApi("/ai/settings", "AI call intelligence");
        settings.MapGet("/", async (AiSettingsService service, CancellationToken ct) => Results.Ok(await service.GetAsync(ct)))
            .Produces<AiSettingsDto>()
            .WithSummary("The tenant's AI settings: which action items become tasks at once (autoCreateMinPriority: high, medium or none) and how sure they must be (minConfidence); the LLM engine on or off, never-external, the tenant's own model (the key is never returned, only llmApiKeySet), the monthly token budget, and the model an analysis would use now (modelInUse) or why none (rulesOnlyBecause).");
        settings.MapPatch("/", async ([FromBody] AiSettingsWrite body, AiSettingsService service, CancellationToken ct) =>
                (await service.UpdateAsync(body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<AiSettingsDto>()
            .ProducesValidationProblem()
            .WithSummary("Change the tenant's AI settings (administrators). A tenant's own llmEndpoint must be a public https URL; llmApiKey is write-only and stored encrypted.");
        settings.MapGet("/usage", async (AiSettingsService service, CancellationToken ct) => (await service.UsageAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<AiUsageDto>()
            .WithSummary("This calendar month's (UTC) use of models: tokens used against the budget, requests, the requests that fell back to the rules engine, and the split by purpose (administrators).");

        var platform = app.MapPlatformApi("/platform/ai", "AI call intelligence");
        platform.MapGet("/", async (PlatformAiSettings service, CancellationToken ct) => (await service.GetAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<PlatformAiDto>()
            .WithSummary("The platform's model, used by every tenant without its own (superadmins); configured shows the AI__ configuration fallback.");
        platform.MapPut("/", async ([FromBody] PlatformAiWrite body, PlatformAiSettings service, CancellationToken ct) =>
                (await service.PutAsync(body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PlatformAiDto>()
            .ProducesValidationProblem()
            .WithSummary("Set the platform's model (superadmins): endpoint (null removes it), model, apiKey (write-only; absent keeps it), internal (runs inside the deployment, so never-external tenants may use it).");

        var voiceAgents = app.MapTenantApi("/ai/voice-agents", "AI call intelligence");
        voiceAgents.MapGet("/", async (VoiceAgentIntegrations service, CancellationToken ct) =>
                (await service.ListAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<IReadOnlyList<VoiceAgentIntegrationDto>>()
            .WithSummary("The voice-agent providers (callfluent, thoughtly): configured or not, active, and the webhook URL to give the provider (administrators).");
        voiceAgents.MapPut("/{provider}", async (string provider, [FromBody] VoiceAgentIntegrationWrite body, VoiceAgentIntegrations service, CancellationToken ct) =>
                (await service.PutAsync(provider, body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<VoiceAgentIntegrationDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("Connect a voice-agent provider: signingSecret (the secret it signs its webhooks with; never shown again) and active (administrators).");
        voiceAgents.MapDelete("/{provider}", async (string provider, VoiceAgentIntegrations service, CancellationToken ct) =>
                (await service.DeleteAsync(provider, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204)
            .ProducesProblem(404)
            .WithSummary("Disconnect a voice-agent provider (administrators).");
        return app;
    }
}
