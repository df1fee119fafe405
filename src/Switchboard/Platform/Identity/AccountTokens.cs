namespace Switchboard.Platform.Identity;

/// <summary>A single-use link sent to a user by email (migration 0023): reset the password, or confirm a new address.</summary>
public sealed class AccountToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }

    /// <summary><see cref="AccountTokenPurpose.PasswordReset"/> or <see cref="AccountTokenPurpose.EmailChange"/>.</summary>
    public required string Purpose { get; set; }
    public required byte[] TokenHash { get; set; }

    /// <summary>For an email change: the address the link confirms.</summary>
    public string? NewEmail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

public static class AccountTokenPurpose
{
    public const string PasswordReset = "password-reset";
    public const string EmailChange = "email-change";
}

internal sealed class AccountTokenConfiguration : IEntityTypeConfiguration<AccountToken>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<AccountToken> e)
    {
        e.ToTable("account_tokens");
        // Marking a token used updates "where used_at is null": of two requests racing with one link, only one commits.
        e.Property(t => t.UsedAt).IsConcurrencyToken();
    }
}

/// <summary>
/// Issues and redeems <see cref="AccountToken"/>s. Everything joins the caller's unit of work: a token issued is saved
/// with the email that carries it, and a token redeemed counts as used only when the change it allows is saved.
/// </summary>
[Scoped]
public sealed class AccountTokens(SwitchboardDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan PasswordResetLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan EmailChangeLifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// A new token for <paramref name="userId"/>, returned in plain text once (for the link); the user's older live tokens
    /// of the same purpose end now, so only the newest link works. <paramref name="id"/> lets a retried job find the token
    /// it issued before.
    /// </summary>
    public async Task<string> IssueAsync(Guid userId, string purpose, string? newEmail, CancellationToken ct, Guid? id = null)
    {
        var now = clock.GetUtcNow();
        await EndAsync(db.Set<AccountToken>().Where(t => t.UserId == userId && t.Purpose == purpose), now, ct);
        var (value, hash) = SecretTokens.New();
        db.Set<AccountToken>().Add(new AccountToken
        {
            Id = id ?? Guid.CreateVersion7(), UserId = userId, Purpose = purpose, TokenHash = hash, NewEmail = newEmail,
            CreatedAt = now, ExpiresAt = now + (purpose == AccountTokenPurpose.PasswordReset ? PasswordResetLifetime : EmailChangeLifetime),
        });
        return value;
    }

    /// <summary>The live token <paramref name="value"/> stands for (unused, unexpired, of this purpose), without using it; null otherwise.</summary>
    public async Task<AccountToken?> FindLiveAsync(string? value, string purpose, CancellationToken ct)
    {
        if (!SecretTokens.TryHash(value, out var hash)) return null;
        var now = clock.GetUtcNow();
        return await db.Set<AccountToken>()
            .SingleOrDefaultAsync(t => t.TokenHash == hash && t.Purpose == purpose && t.UsedAt == null && t.ExpiresAt > now, ct);
    }

    /// <summary>Finds the live token and marks it used in the unit of work; the caller's SaveChanges spends it.</summary>
    public async Task<AccountToken?> RedeemAsync(string? value, string purpose, CancellationToken ct)
    {
        var token = await FindLiveAsync(value, purpose, ct);
        token?.UsedAt = clock.GetUtcNow();
        return token;
    }

    /// <summary>Ends every live token of the user (a new password or email address makes the links sent before it useless).</summary>
    public Task EndAllForUserAsync(Guid userId, CancellationToken ct) =>
        EndAsync(db.Set<AccountToken>().Where(t => t.UserId == userId), clock.GetUtcNow(), ct);

    public Task<bool> ExistsAsync(Guid id, CancellationToken ct) => db.Set<AccountToken>().AnyAsync(t => t.Id == id, ct);

    private static Task EndAsync(IQueryable<AccountToken> tokens, DateTimeOffset now, CancellationToken ct) =>
        tokens.Where(t => t.UsedAt == null && t.ExpiresAt > now).ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpiresAt, now), ct);
}
