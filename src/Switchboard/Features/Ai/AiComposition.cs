using Switchboard.Features.Ai.VoiceAgents;

namespace Switchboard.Features.Ai;

/// <summary>AI call intelligence: transcripts in, the analysis job, its API (ADR 0051).</summary>
public static class AiComposition
{
    public static IServiceCollection AddAi(this IServiceCollection services)
    {
        services.AddJobHandler<CallAnalyser>();
        return services;
    }

    public static IEndpointRouteBuilder MapAi(this IEndpointRouteBuilder app) => app.MapAiApi().MapVoiceAgentWebhook();
}
