namespace Switchboard.Features.Dialer;

/// <summary>The power dialer: saved queues, server-side sessions, the /dialer page, and the /api/v1/dialer endpoints.</summary>
public static class DialerComposition
{
    public static IServiceCollection AddDialer(this IServiceCollection services)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapDialer(this IEndpointRouteBuilder app) => app.MapDialerQueuesApi();
}
