using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Connections;

namespace Switchboard.Platform.Realtime;

/// <summary>Live updates: the floor hub, pg_notify publishing, and the per-instance LISTEN fan-out.</summary>
public static class RealtimeComposition
{
    /// <summary>
    /// Signed in with the web cookie, inside a tenant (checked after TenantResolutionMiddleware), and, for a
    /// browser, from our own origin. The cookie is SameSite=Lax, which still goes with WebSocket requests from
    /// sibling subdomains and other ports of the same site; checking Origin stops such a page from listening in.
    /// </summary>
    public const string FloorPolicy = "floor";

    public static IServiceCollection AddRealtime(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresEventListener>());

        services.AddAuthorizationBuilder().AddPolicy(FloorPolicy, p => p
            .AddAuthenticationSchemes(SwitchboardClaims.WebScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(c => c.Resource is HttpContext http
                                   && IsSameOrigin(http.Request)
                                   && http.RequestServices.GetRequiredService<TenantContext>().TenantId is not null));

        // A hub client is a script, not a person: answer 401/403 instead of redirecting to the sign-in page.
        services.PostConfigure<CookieAuthenticationOptions>(SwitchboardClaims.WebScheme, o =>
        {
            var toLogin = o.Events.OnRedirectToLogin;
            var toDenied = o.Events.OnRedirectToAccessDenied;
            o.Events.OnRedirectToLogin = c => IsHub(c.Request) ? Status(c.Response, StatusCodes.Status401Unauthorized) : toLogin(c);
            o.Events.OnRedirectToAccessDenied = c => IsHub(c.Request) ? Status(c.Response, StatusCodes.Status403Forbidden) : toDenied(c);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapRealtime(this IEndpointRouteBuilder app)
    {
        app.MapHub<FloorHub>(FloorHub.Path, o =>
        {
            // Long polling is left out on purpose: it serves a connection from many short requests, so the
            // request scope holding the resolved TenantContext would be gone by the time the hub reads it.
            o.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents;
            o.CloseOnAuthenticationExpiration = true;
        });
        return app;
    }

    /// <summary>Browsers always send Origin on WebSocket and fetch POST requests; other clients may omit it.</summary>
    private static bool IsSameOrigin(HttpRequest request) =>
        request.Headers.Origin.ToString() is not { Length: > 0 } origin
        || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);

    private static bool IsHub(HttpRequest request) => request.Path.StartsWithSegments("/hubs");

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
