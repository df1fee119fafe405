using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Switchboard.Platform.Realtime;

/// <summary>
/// Push-only hub for the calling floor: browsers listen for the single method <see cref="EventMethod"/>
/// and never invoke anything. A connection joins its tenant's group and its own user-in-tenant group.
/// </summary>
[Authorize(Policy = RealtimeComposition.FloorPolicy)]
public sealed class FloorHub : Hub
{
    public const string Path = "/hubs/floor";
    public const string EventMethod = "event";

    public static string TenantGroup(Guid tenantId) => $"tenant:{tenantId}";

    /// <summary>Scoped to the tenant too: a user who belongs to two tenants must not get one tenant's notices while in the other.</summary>
    public static string UserGroup(Guid tenantId, Guid userId) => $"tenant:{tenantId}:user:{userId}";

    public override async Task OnConnectedAsync()
    {
        // A hub runs in its own DI scope; the TenantContext that TenantResolutionMiddleware filled in lives in
        // the scope of the transport request, which stays open for the connection (WebSockets, SSE).
        var tenant = Context.GetHttpContext()?.RequestServices.GetService<TenantContext>();
        if (tenant is not { TenantId: { } tenantId, UserId: { } userId })
        {
            Context.Abort();
            return;
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, TenantGroup(tenantId), Context.ConnectionAborted);
        await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(tenantId, userId), Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }
}
