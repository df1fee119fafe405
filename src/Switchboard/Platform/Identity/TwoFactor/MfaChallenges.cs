namespace Switchboard.Platform.Identity.TwoFactor;

/// <summary>
/// The mfaToken of a sign-in whose password was right and whose second factor is still to come: 256 random bits
/// (<see cref="SecretTokens"/>), only the SHA-256 stored, valid five minutes, used once, bound to the user, the tenant
/// the sign-in chose, the kind of sign-in (web page or API) and how the first step was checked (password or directory).
/// </summary>
[Scoped]
public sealed class MfaChallenges(SwitchboardDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public async Task<string> IssueAsync(Guid userId, Guid? tenantId, string kind, string signInMethod, CancellationToken ct)
    {
        var (value, hash) = SecretTokens.New();
        var now = clock.GetUtcNow();
        db.Set<MfaChallenge>().Add(new MfaChallenge
        {
            Id = Guid.CreateVersion7(), UserId = userId, TenantId = tenantId, TokenHash = hash, Kind = kind, SignInMethod = signInMethod, CreatedAt = now, ExpiresAt = now + Lifetime,
        });
        await db.SaveChangesAsync(ct);
        return value;
    }

    /// <summary>The live challenge <paramref name="token"/> stands for (unused, unexpired, of this kind); null otherwise.</summary>
    public async Task<MfaChallenge?> FindLiveAsync(string? token, string kind, CancellationToken ct)
    {
        if (!SecretTokens.TryHash(token, out var hash)) return null;
        var now = clock.GetUtcNow();
        return await db.Set<MfaChallenge>().SingleOrDefaultAsync(c => c.TokenHash == hash && c.Kind == kind && c.UsedAt == null && c.ExpiresAt > now, ct);
    }
}
