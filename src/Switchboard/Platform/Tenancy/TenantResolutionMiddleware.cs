using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Database;
using Switchboard.Platform.Identity;
using Switchboard.Platform.Web;

namespace Switchboard.Platform.Tenancy;

/// <summary>
/// Turns the authenticated principal (cookie or bearer token) into the request's <see cref="TenantContext"/>,
/// checking against the database on every request that the session is live, the user active, the tenant
/// active and the membership current. So revocation, deactivation and role changes apply at once.
/// </summary>
public sealed class TenantResolutionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, TenantContext tenant, AuditActor actor)
    {
        actor.Ip = http.Connection.RemoteIpAddress?.ToString();
        actor.UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 512)] : null;

        var principal = http.User;
        if (principal.Identity?.IsAuthenticated != true)
        {
            actor.ActorType = "anonymous";
            await next(http);
            return;
        }

        // Resolved here, not as a parameter: anonymous requests (provider webhooks, thousands a second) need no DbContext.
        var db = http.RequestServices.GetRequiredService<SwitchboardDbContext>();
        var outcome = await ResolveAsync(principal, tenant, actor, db, http.RequestAborted);
        switch (outcome)
        {
            case Resolution.Ok:
                await next(http);
                return;
            case Resolution.SignedOut:
                await RejectAsync(http, StatusCodes.Status401Unauthorized, "Your session has ended. Sign in again.");
                return;
            case Resolution.Forbidden forbidden:
                await RejectAsync(http, StatusCodes.Status403Forbidden, forbidden.Message);
                return;
        }
    }

    private static async Task<Resolution> ResolveAsync(ClaimsPrincipal principal, TenantContext tenant, AuditActor actor, SwitchboardDbContext db, CancellationToken ct)
    {
        if (principal.Read(SwitchboardClaims.UserId) is not { } userId || principal.Read(SwitchboardClaims.SessionId) is not { } sessionId)
            return new Resolution.SignedOut();
        var claimedTenant = principal.Read(SwitchboardClaims.TenantId);

        await tenant.SetUserAsync(userId, isSuperadmin: false);
        var row = await (from s in db.Sessions.AsNoTracking()
                         join u in db.Users.AsNoTracking() on s.UserId equals u.Id
                         where s.Id == sessionId && s.UserId == userId && s.RevokedAt == null && u.IsActive
                         select new
                         {
                             u.IsSuperadmin, u.Email, s.TenantId,
                             Tenant = db.Tenants.AsNoTracking().FirstOrDefault(t => t.Id == s.TenantId),
                             Membership = db.Memberships.IgnoreQueryFilters().AsNoTracking()
                                 .FirstOrDefault(m => m.TenantId == s.TenantId && m.UserId == userId),
                         }).SingleOrDefaultAsync(ct);
        if (row is null || row.TenantId != claimedTenant) return new Resolution.SignedOut();

        await tenant.SetUserAsync(userId, row.IsSuperadmin);
        actor.SignedIn(userId, row.Email);
        if (row.Tenant is null) return row.IsSuperadmin ? new Resolution.Ok() : new Resolution.SignedOut();

        TenantRole role;
        if (row.IsSuperadmin) role = TenantRole.Superadmin;
        else if (!row.Tenant.IsActive) return new Resolution.Forbidden(TenantMessages.Deactivated(row.Tenant.Name));
        else if (row.Membership is not { IsActive: true } m || !TenantRoles.TryParseMembershipRole(m.Role, out role))
            return new Resolution.Forbidden("Your access to this tenant has been removed. Contact the tenant's administrator.");

        await tenant.EnterTenantAsync(TenantMessages.Settings(row.Tenant), role);
        return new Resolution.Ok();
    }

    private static async Task RejectAsync(HttpContext http, int status, string message)
    {
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            await Problems.Write(http, status, status == 401 ? "Unauthorized" : "Forbidden", message);
            return;
        }
        await http.SignOutAsync(SwitchboardClaims.WebScheme);
        var target = status == 401 ? "/signin" : "/signin?blocked=" + Uri.EscapeDataString(message);
        http.Response.Redirect(target);
    }

    private abstract record Resolution
    {
        public sealed record Ok : Resolution;
        public sealed record SignedOut : Resolution;
        public sealed record Forbidden(string Message) : Resolution;
    }
}
