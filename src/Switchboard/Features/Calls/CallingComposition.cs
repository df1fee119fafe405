using Switchboard.Features.Calls.Compliance;
using Switchboard.Features.Telephony;

namespace Switchboard.Features.Calls;

public static class CallingComposition
{
    public static IServiceCollection AddCalling(this IServiceCollection services)
    {
        services.AddScoped<CallService>();
        services.AddScoped<CallOutcomes>();
        services.AddScoped<OutcomeStep>();
        services.AddScoped<CallLifecycle>();
        services.AddSingleton<CallStatusWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<CallStatusWriter>());
        services.AddScoped<Dispositions>();
        services.AddScoped<DncService>();
        services.AddScoped<CallingSettingsService>();
        services.AddScoped<ComplianceGuard>();
        services.AddScoped<ProviderSettingsService>();
        services.AddScoped<InboundCalls>();
        services.AddScoped<PresenceService>();
        services.AddScoped<CallReports>();
        services.AddScoped<WebhookGate>();
        services.AddValidatedOptions<TelephonyOptions>(TelephonyOptions.Section);
        services.AddSingleton<PublicUrls>();
        services.AddMemoryCache();
        services.AddSingleton<WebhookCache>();
        services.AddTelephonyProviders();
        services.AddJobHandler<DialCallHandler>();
        services.AddJobHandler<HangUpCallHandler>();
        services.AddJobHandler<WrapUpExpiry>();
        return services;
    }

    public static IEndpointRouteBuilder MapCalling(this IEndpointRouteBuilder app)
    {
        app.MapCallsApi();
        app.MapTelephonyApi();
        app.MapCallingSettingsApi();
        app.MapTelephonyWebhooks();
        app.MapPresenceApi();
        app.MapCallReportsApi();
        return app;
    }
}
