namespace Switchboard.Platform.Identity;

/// <summary>Sessions and their rotating refresh tokens. Only SHA-256 hashes of refresh tokens are stored.</summary>
[Scoped]
public sealed class SessionStore(SwitchboardDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(14);

    /// <summary>However often it is refreshed, a session ends this long after sign-in.</summary>
    public static readonly TimeSpan AbsoluteSessionLifetime = TimeSpan.FromDays(30);

    public UserSession Open(Guid userId, Guid? tenantId, string kind, string? ip, string? userAgent)
    {
        var session = new UserSession
        {
            Id = Guid.CreateVersion7(), UserId = userId, TenantId = tenantId, Kind = kind,
            CreatedAt = clock.GetUtcNow(), Ip = ip, UserAgent = Truncate(userAgent, 512),
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
    /// Finds the live session a refresh token belongs to and marks the token used. A token presented a
    /// second time means it leaked: the whole session is revoked.
    /// </summary>
    public async Task<UserSession?> RedeemAsync(string refreshToken, CancellationToken ct)
    {
        if (!SecretTokens.TryHash(refreshToken, out var hash)) return null;
        var token = await db.RefreshTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (token is null) return null;
        var session = await db.Sessions.SingleAsync(s => s.Id == token.SessionId, ct);
        var now = clock.GetUtcNow();
        if (token.UsedAt is not null)
        {
            session.RevokedAt ??= now;
            await db.SaveChangesAsync(ct);
            return null;
        }
        if (session.RevokedAt is not null || token.ExpiresAt <= now || session.CreatedAt + AbsoluteSessionLifetime <= now) return null;
        token.UsedAt = now;
        return session;
    }

    public async Task<UserSession?> FindByRefreshTokenAsync(string refreshToken, CancellationToken ct)
    {
        if (!SecretTokens.TryHash(refreshToken, out var hash)) return null;
        return await (from t in db.RefreshTokens
                      join s in db.Sessions on t.SessionId equals s.Id
                      where t.TokenHash == hash
                      select s).SingleOrDefaultAsync(ct);
    }

    public Task RevokeAsync(Guid sessionId, CancellationToken ct) =>
        RevokeAsync(db.Sessions.Where(s => s.Id == sessionId), ct);

    public Task RevokeAllForUserAsync(Guid userId, CancellationToken ct) =>
        RevokeAsync(db.Sessions.Where(s => s.UserId == userId), ct);

    /// <summary>Ends every session of the user except <paramref name="keep"/> (the one making the request).</summary>
    public Task RevokeOthersForUserAsync(Guid userId, Guid keep, CancellationToken ct) =>
        RevokeAsync(db.Sessions.Where(s => s.UserId == userId && s.Id != keep), ct);

    private Task RevokeAsync(IQueryable<UserSession> sessions, CancellationToken ct) =>
        sessions.Where(s => s.RevokedAt == null).ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, clock.GetUtcNow()), ct);

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
