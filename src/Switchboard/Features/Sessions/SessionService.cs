using Switchboard.Features.Users;

namespace Switchboard.Features.Sessions;

/// <summary>
/// A live session of the signed-in user, in any of their tenants. <see cref="Device"/> is read from the user agent
/// ("Chrome on Linux"); <see cref="CreatedAt"/> is when it signed in, <see cref="LastSeenAt"/> its last request (to
/// the minute); <see cref="Current"/> marks the session making this request.
/// </summary>
public sealed record SessionDto(Guid Id, string Kind, string Device, string? Ip, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, bool Current,
    Guid? TenantId, string? TenantName);

/// <summary>What ending several sessions did.</summary>
public sealed record SessionsEnded(int Ended);

/// <summary>
/// People's own sessions (list, end one, end all but this one) and an administrator ending a member's sessions in their
/// tenant (ADR 0044). Ending writes revoked_at with the reason; the session's next request is refused.
/// </summary>
[Scoped]
public sealed class SessionService(SwitchboardDbContext db, TenantContext ctx, SessionStore sessions, AuditLog audit, TimeProvider clock)
{
    /// <summary>The caller's sessions that are still live, newest activity first: not revoked, and within their tenant's limits.</summary>
    public async Task<IReadOnlyList<SessionDto>> ListOwnAsync(Guid? currentSession, CancellationToken ct)
    {
        var userId = ctx.RequiredUserId;
        var rows = await (from s in db.Sessions.AsNoTracking()
                          join t in db.Tenants.AsNoTracking() on s.TenantId equals t.Id into tenants
                          from t in tenants.DefaultIfEmpty()
                          where s.UserId == userId && s.RevokedAt == null
                          orderby s.LastSeenAt descending
                          select new { Session = s, TenantName = t == null ? null : t.Name, Idle = t == null ? null : t.SessionIdleMinutes, MaxHours = t == null ? null : t.SessionMaxHours })
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        return rows
            .Where(r => SessionLimits.For(r.Idle, r.MaxHours).EndReason(r.Session.CreatedAt, r.Session.LastSeenAt, now) is null)
            .Select(r => new SessionDto(r.Session.Id, r.Session.Kind, DeviceNames.Describe(r.Session.UserAgent), r.Session.Ip, r.Session.CreatedAt,
                r.Session.LastSeenAt, r.Session.Id == currentSession, r.Session.TenantId, r.TenantName))
            .ToList();
    }

    /// <summary>Ends one of the caller's own sessions (this one too, which signs them out). Another person's, or one already ended, is not found.</summary>
    public async Task<Outcome<SessionDto>> EndOwnAsync(Guid sessionId, Guid? currentSession, CancellationToken ct)
    {
        var session = (await ListOwnAsync(currentSession, ct)).FirstOrDefault(s => s.Id == sessionId);
        if (session is null) return new Outcome<SessionDto>.NotFound();
        await sessions.RevokeAsync(sessionId, SessionEndReasons.EndedByUser, ct);
        await audit.WriteAsync(AuditActions.SessionEnded, ctx.TenantId, "session", sessionId.ToString(),
            new { session.Kind, session.Device, session.Ip, tenant = session.TenantName }, ct);
        return session;
    }

    /// <summary>Ends every session of the caller but <paramref name="currentSession"/>, in every tenant.</summary>
    public async Task<SessionsEnded> EndOthersAsync(Guid currentSession, CancellationToken ct)
    {
        var userId = ctx.RequiredUserId;
        var ended = await sessions.RevokeOthersForUserAsync(userId, currentSession, SessionEndReasons.EndedByUser, ct);
        await audit.WriteAsync(AuditActions.SessionsEndedElsewhere, ctx.TenantId, "user", userId.ToString(), new { ended }, ct);
        return new SessionsEnded(ended);
    }

    /// <summary>
    /// An administrator ends a member's sessions in this tenant; their sessions in other tenants go on, since this
    /// tenant's administrators govern access to this tenant only (ADR 0044). Their own sessions they end from their profile.
    /// </summary>
    public async Task<Outcome<SessionsEnded>> EndMemberSessionsAsync(Guid userId, CancellationToken ct)
    {
        if (!UserService.CanManage(ctx)) return new Outcome<SessionsEnded>.Forbidden("Only administrators can end a member's sessions.");
        if (ctx.TenantId is not { } tenantId) return new Outcome<SessionsEnded>.Forbidden("Select a tenant first (POST /api/v1/auth/switch-tenant).");
        var member = await db.Memberships.AsNoTracking().Where(m => m.UserId == userId).Select(m => new { m.User!.Email }).SingleOrDefaultAsync(ct);
        if (member is null) return new Outcome<SessionsEnded>.NotFound();
        if (userId == ctx.UserId)
            return new Outcome<SessionsEnded>.Conflict("You cannot end your own sessions here; sign out of your other sessions from your profile.");
        var ended = await sessions.RevokeForUserInTenantAsync(userId, tenantId, SessionEndReasons.EndedByAdmin, ct);
        await audit.WriteAsync(AuditActions.UserSessionsEnded, tenantId, "user", userId.ToString(), new { email = member.Email, ended }, ct);
        return new SessionsEnded(ended);
    }
}
