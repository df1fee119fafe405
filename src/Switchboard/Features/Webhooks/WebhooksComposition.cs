namespace Switchboard.Features.Webhooks;

/// <summary>Outbound webhooks (ADR 0055): event capture, the dispatcher, the /api/v1/webhooks endpoints.</summary>
public static class WebhooksComposition
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddValidatedOptions<WebhookOptions>(WebhookOptions.Section);
        // Each feature declares its entities' events beside them (LeadWebhookEvents, …); all of them are registered here.
        foreach (var source in typeof(IWebhookEventSource).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IWebhookEventSource).IsAssignableFrom(t)))
            services.AddSingleton(typeof(IWebhookEventSource), source);
        services.ConfigureDbContext<SwitchboardDbContext>((sp, options) => options.AddInterceptors(sp.GetRequiredService<WebhookEventInterceptor>()),
            ServiceLifetime.Singleton);
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app) => app.MapWebhooksApi();
}
