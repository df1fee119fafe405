using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Switchboard.Platform.Identity;

/// <summary>
/// The one place a new password is judged and set: the reset link, a user changing their own, an expired one replaced at
/// sign-in, an invitation's new account. The rules are the tenant policy's (<see cref="PasswordPolicy"/>, ADR 0042).
/// </summary>
[Scoped]
public sealed class Passwords(UserManager<AppUser> users, PasswordPolicy policy, SwitchboardDbContext db, TimeProvider clock)
{
    /// <summary>The rules that apply to <paramref name="userId"/> (null: a new account) setting a password in <paramref name="tenantId"/>.</summary>
    public Task<PasswordRules> RulesForAsync(Guid? userId, Guid? tenantId, CancellationToken ct) => policy.RulesForAsync(userId, tenantId, ct);

    public async Task<IReadOnlyList<string>> ProblemsAsync(AppUser user, string password, Guid? tenantId, CancellationToken ct) =>
        await policy.ProblemsAsync(user, password, await policy.RulesForAsync(user.Id, tenantId, ct), ct);

    /// <summary>
    /// Gives the user <paramref name="password"/> (already judged by <see cref="ProblemsAsync"/>) in the unit of work:
    /// a new hash (the old one goes to the history), a new security stamp, and the failed-attempt count and any lockout
    /// cleared. Sessions are the caller's business (a reset ends all of them, a change all but the caller's).
    /// </summary>
    public void Set(AppUser user, string password)
    {
        var now = clock.GetUtcNow();
        if (user.PasswordHash is { Length: > 0 } old)
            db.Set<PasswordHistoryEntry>().Add(new PasswordHistoryEntry { UserId = user.Id, PasswordHash = old, ReplacedAt = now });
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        user.PasswordChangedAt = now;
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        NewStamps(user);
    }

    /// <summary>What Identity does on a security-relevant change: a new security stamp (and concurrency stamp).</summary>
    public static void NewStamps(AppUser user)
    {
        user.SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
    }
}
