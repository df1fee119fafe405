using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Switchboard.Platform.Tenancy;

/// <summary>
/// Turns the authenticated principal (cookie, bearer token or API key) into the request's <see cref="TenantContext"/>,
/// checking against the database on every request that the session is live (not revoked, within its tenant's idle
/// timeout and lifetime) or the key valid, the user active, the tenant active and the membership current. So
/// revocation, deactivation and role changes apply at once.
/// </summary>
public sealed class TenantResolutionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, TenantContext tenant, AuditActor actor, TimeProvider clock)
    {
        actor.Ip = http.Connection.RemoteIpAddress?.ToString();
        actor.UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 512)] : null;

        var principal = http.User;
        if (principal.Identity?.IsAuthenticated != true)
        {
            actor.ActorType = AuditActorTypes.Anonymous;
            await next(http);
            return;
        }

        // Resolved here, not as a parameter: anonymous requests (provider webhooks, thousands a second) need no DbContext.
        var db = http.RequestServices.GetRequiredService<SwitchboardDbContext>();
        var outcome = principal.TryReadApiKey(out var prefix, out var hash)
            ? await ApiKeyResolution.ResolveAsync(http, prefix, hash, tenant, actor, db)
            : await ResolveAsync(principal, tenant, actor, db, clock.GetUtcNow(), http.RequestAborted);
        // A realtime transport request lives as long as its socket; it must not keep a database connection that long.
        if (outcome is Resolution.Ok && IsLongLived(http)) await db.Database.GetDbConnection().CloseAsync();
        switch (outcome)
        {
            case Resolution.Ok:
                await next(http);
                return;
            case Resolution.SignedOut:
                await RejectAsync(http, StatusCodes.Status401Unauthorized, "Your session has ended. Sign in again.");
                return;
            case Resolution.Unauthorized unauthorized:
                await RejectAsync(http, StatusCodes.Status401Unauthorized, unauthorized.Message);
                return;
            case Resolution.Forbidden forbidden:
                await RejectAsync(http, StatusCodes.Status403Forbidden, forbidden.Message);
                return;
        }
    }

    /// <summary>
    /// One round trip: the connection the request will use is opened with the tenant and user the principal claims, and
    /// the session row is read with them. Only if that row confirms the claim, and the session is within its tenant's
    /// limits at <paramref name="now"/> (the app's clock, so tests can move it), does the request go on; otherwise the
    /// connection is closed (Npgsql resets it) before anything else can run on it.
    /// </summary>
    private static async Task<Resolution> ResolveAsync(ClaimsPrincipal principal, TenantContext tenant, AuditActor actor,
        SwitchboardDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        if (principal.Read(SwitchboardClaims.UserId) is not { } userId || principal.Read(SwitchboardClaims.SessionId) is not { } sessionId)
            return new Resolution.SignedOut();
        var claimedTenant = principal.Read(SwitchboardClaims.TenantId);

        var row = await SessionLookup.FindAsync(db, sessionId, userId, claimedTenant, ct);
        var ended = row?.EndReason(now);
        if (row is null || row.TenantId != claimedTenant || ended is not null)
        {
            // The session ran out (its tenant's idle timeout or lifetime, ADR 0044): recorded once, then it is not found.
            if (ended is not null) await SessionLookup.EndAsync(db, sessionId, ended, now, ct);
            await db.Database.GetDbConnection().CloseAsync();
            await tenant.SetUserAsync(userId, isSuperadmin: false);
            return new Resolution.SignedOut();
        }

        actor.SignedIn(userId, row.Email);
        var resolution = Decide(row, out var role);
        if (resolution is Resolution.Ok)
        {
            // Activity is written once a minute, not per request: most requests stay one round trip that only reads.
            if (row.NeedsTouch(now)) await SessionLookup.TouchAsync(db, sessionId, now, ct);
            await tenant.EnterAsync(userId, row.IsSuperadmin, row.Tenant, row.Tenant is null ? null : role);
            return resolution;
        }
        await db.Database.GetDbConnection().CloseAsync();
        await tenant.SetUserAsync(userId, row.IsSuperadmin);
        return resolution;
    }

    private static Resolution Decide(SessionRow row, out TenantRole role)
    {
        role = TenantRole.Superadmin;
        if (row.Tenant is null) return row.IsSuperadmin ? new Resolution.Ok() : new Resolution.SignedOut();
        if (row.IsSuperadmin) return new Resolution.Ok();
        if (!row.Tenant.IsActive) return new Resolution.Forbidden(TenantMessages.Deactivated(row.Tenant.Name));
        if (!row.MembershipActive || !TenantRoles.TryParseMembershipRole(row.MembershipRole, out role))
            return new Resolution.Forbidden("Your access to this tenant has been removed. Contact the tenant's administrator.");
        return new Resolution.Ok();
    }

    private static bool IsLongLived(HttpContext http) =>
        http.WebSockets.IsWebSocketRequest || http.Request.Path.StartsWithSegments("/hubs");

    private static async Task RejectAsync(HttpContext http, int status, string message)
    {
        if (ApiPaths.IsMachine(http.Request.Path))
        {
            await Problems.Write(http, status, status == 401 ? "Unauthorized" : "Forbidden", message);
            return;
        }
        await http.SignOutAsync(SwitchboardClaims.WebScheme);
        var target = status == 401 ? "/signin" : "/signin?blocked=" + Uri.EscapeDataString(message);
        http.Response.Redirect(target);
    }

    internal abstract record Resolution
    {
        public sealed record Ok : Resolution;
        public sealed record SignedOut : Resolution;
        public sealed record Unauthorized(string Message) : Resolution;
        public sealed record Forbidden(string Message) : Resolution;
    }
}
