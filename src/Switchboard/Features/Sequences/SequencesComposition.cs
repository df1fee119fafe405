using Switchboard.Features.Calls;
using Switchboard.Features.Mailboxes;
using Switchboard.Features.Outreach;

namespace Switchboard.Features.Sequences;

/// <summary>Sequences (issue 14 §2, ADR 0060): the scheduler, the stop rules' observers, the API.</summary>
public static class SequencesComposition
{
    public static IServiceCollection AddSequences(this IServiceCollection services)
    {
        services.AddValidatedOptions<SequenceOptions>(SequenceOptions.Section);
        services.AddScoped<IOutboundEmailOutcomeObserver>(sp => sp.GetRequiredService<SequenceEmailOutcomes>());
        services.AddScoped<IInboundEmailObserver>(sp => sp.GetRequiredService<SequenceReplies>());
        services.AddScoped<ICallOutcomeObserver>(sp => sp.GetRequiredService<SequenceCallStops>());
        services.ConfigureDbContext<SwitchboardDbContext>((sp, options) => options.AddInterceptors(sp.GetRequiredService<SequenceStatusStops>()),
            ServiceLifetime.Singleton);
        services.AddHostedService<SequenceWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapSequences(this IEndpointRouteBuilder app) => app.MapSequencesApi();
}
