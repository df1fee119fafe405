using Switchboard.Features.Calls.Compliance;
using Switchboard.Features.Telephony;

namespace Switchboard.Features.Calls;

public static class CallingComposition
{
    public static IServiceCollection AddCalling(this IServiceCollection services)
    {
        services.AddHostedService(sp => sp.GetRequiredService<CallStatusWriter>());
        services.AddValidatedOptions<TelephonyOptions>(TelephonyOptions.Section);
        services.AddMemoryCache();
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
