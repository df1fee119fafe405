using Switchboard.Features.Ai.CallPrep;
using Switchboard.Features.Ai.Llm;
using Switchboard.Features.Ai.VoiceAgents;

namespace Switchboard.Features.Ai;

/// <summary>AI call intelligence: transcripts in, the analysis job, its API (ADR 0051), its LLM engine (ADR 0052), call prep (ADR 0053).</summary>
public static class AiComposition
{
    public static IServiceCollection AddAi(this IServiceCollection services)
    {
        services.AddJobHandler<CallAnalyser>();
        services.AddValidatedOptions<AiOptions>(AiOptions.Section);
        LlmChatClients.Register(services);
        services.AddMemoryCache();
        services.AddScoped<ITalkingPointWriter, LlmTalkingPointWriter>();
        return services;
    }

    public static IEndpointRouteBuilder MapAi(this IEndpointRouteBuilder app) => app.MapAiApi().MapVoiceAgentWebhook().MapCallPrepApi();
}
