namespace Switchboard.Platform.Identity;

/// <summary>Sessions and their rotating refresh tokens. Only SHA-256 hashes of refresh tokens are stored.</summary>
[Scoped]
public sealed class SessionStore(SwitchboardDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(14);

    public UserSession Open(Guid userId, Guid? tenantId, string kind, string? ip, string? userAgent)
    {
        var now = clock.GetUtcNow();
        var session = new UserSession
        {
            Id = Guid.CreateVersion7(), UserId = userId, TenantId = tenantId, Kind = kind,
            CreatedAt = now, LastSeenAt = now, Ip = ip, UserAgent = Truncate(userAgent, 512),
        };
        db.Sessions.Add(session);
        return session;
    }

    /// <summary>Adds a new refresh token to the session and returns its plain value (shown to the client once).</summary>
    public string IssueRefreshToken(Guid sessionId)
    {
        var (value, hash) = SecretTokens.New();
        var now = clock.GetUtcNow();
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(), SessionId = sessionId, TokenHash = hash,
            CreatedAt = now, ExpiresAt = now + RefreshTokenLifetime,
        });
        return value;
    }

    /// <summary>
    /// Finds the live session a refresh token belongs to, marks the token used and the session seen. A token presented a
    /// second time means it leaked: the whole session is revoked. A session past its tenant's idle timeout or lifetime
    /// is revoked for that reason (the same rule as every request's check).
    /// </summary>
    public async Task<UserSession?> RedeemAsync(string refreshToken, CancellationToken ct)
    {
        if (!SecretTokens.TryHash(refreshToken, out var hash)) return null;
        var token = await db.RefreshTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (token is null) return null;
        var session = await db.Sessions.SingleAsync(s => s.Id == token.SessionId, ct);
        var now = clock.GetUtcNow();
        if (session.RevokedAt is not null) return null;
        if (token.UsedAt is not null) return await EndAsync(session, SessionEndReasons.RefreshTokenReused, now, ct);
        if (token.ExpiresAt <= now) return null;
        if ((await LimitsAsync(session.TenantId, ct)).EndReason(session.CreatedAt, session.LastSeenAt, now) is { } ended)
            return await EndAsync(session, ended, now, ct);
        token.UsedAt = now;
        session.LastSeenAt = now;
        return session;
    }

    private async Task<UserSession?> EndAsync(UserSession session, string reason, DateTimeOffset now, CancellationToken ct)
    {
        session.RevokedAt = now;
        session.RevokedReason = reason;
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task<UserSession?> FindByRefreshTokenAsync(string refreshToken, CancellationToken ct)
    {
        if (!SecretTokens.TryHash(refreshToken, out var hash)) return null;
        return await (from t in db.RefreshTokens
                      join s in db.Sessions on t.SessionId equals s.Id
                      where t.TokenHash == hash
                      select s).SingleOrDefaultAsync(ct);
    }

    /// <summary>The limits of the tenant's sessions (the defaults for a superadmin's session outside any tenant).</summary>
    public async Task<SessionLimits> LimitsAsync(Guid? tenantId, CancellationToken ct)
    {
        var tenant = tenantId is null ? null : await db.Tenants.AsNoTracking()
            .Where(t => t.Id == tenantId).Select(t => new { t.SessionIdleMinutes, t.SessionMaxHours }).SingleOrDefaultAsync(ct);
        return SessionLimits.For(tenant?.SessionIdleMinutes, tenant?.SessionMaxHours);
    }

    public Task<int> RevokeAsync(Guid sessionId, string reason, CancellationToken ct) =>
        RevokeAsync(db.Sessions.Where(s => s.Id == sessionId), reason, ct);

    public Task<int> RevokeAllForUserAsync(Guid userId, string reason, CancellationToken ct) =>
        RevokeAsync(db.Sessions.Where(s => s.UserId == userId), reason, ct);

    /// <summary>Ends every session of the user except <paramref name="keep"/> (the one making the request).</summary>
    public Task<int> RevokeOthersForUserAsync(Guid userId, Guid keep, string reason, CancellationToken ct) =>
        RevokeAsync(db.Sessions.Where(s => s.UserId == userId && s.Id != keep), reason, ct);

    /// <summary>Ends the user's sessions in one tenant (their sessions in other tenants go on).</summary>
    public Task<int> RevokeForUserInTenantAsync(Guid userId, Guid tenantId, string reason, CancellationToken ct) =>
        RevokeAsync(db.Sessions.Where(s => s.UserId == userId && s.TenantId == tenantId), reason, ct);

    private Task<int> RevokeAsync(IQueryable<UserSession> sessions, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return sessions.Where(s => s.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now).SetProperty(s => s.RevokedReason, reason), ct);
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
