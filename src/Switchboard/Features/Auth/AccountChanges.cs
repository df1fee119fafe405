using Microsoft.AspNetCore.Identity;

namespace Switchboard.Features.Auth;

/// <summary>
/// The steps a person's own account changes share: checking the current password as sign-in does, and what follows a
/// new password wherever it was set (reset link or profile). Audit rows go to the tenant the person is signed in to,
/// or to the platform's log for the anonymous link pages.
/// </summary>
// Wide on purpose: what follows a new password touches each of these once: the check, the rules, sessions, links, the
// notice, audit, lockout.
[Scoped]
public sealed class AccountChanges(UserManager<AppUser> users, Passwords passwords, SessionStore sessions, AccountTokens tokens, AccountEmails emails,
    AuditLog audit, Lockouts lockouts, TenantContext ctx)
{
    public const string WrongCurrentPassword = "The current password is incorrect.";
    public const string LockedOut = "Too many wrong passwords: your account is locked for a few minutes. Try again later.";

    /// <summary>
    /// Null when <paramref name="password"/> is the user's password. A wrong one counts towards lockout like a failed sign-in
    /// (saved at once, whatever the caller does next); while locked, even the right one is refused.
    /// </summary>
    public async Task<string?> CurrentPasswordProblemAsync(AppUser user, string password, CancellationToken ct)
    {
        if (await users.IsLockedOutAsync(user)) return LockedOut;
        if (!await users.CheckPasswordAsync(user, password))
        {
            return await lockouts.WrongPasswordAsync(user, ctx.TenantId, ct) ? LockedOut : WrongCurrentPassword;
        }
        if (user.AccessFailedCount > 0) await users.ResetAccessFailedCountAsync(user);
        return null;
    }

    /// <summary>
    /// Judges and sets a new password in the unit of work, then ends the user's sessions — every one, or all but
    /// <paramref name="keepSession"/> (the one the user changed it from) — and every link sent before, queues the notice
    /// and audits <paramref name="action"/>. The problems with the password when it is not good enough (nothing done).
    /// </summary>
    public async Task<IReadOnlyList<string>> SetPasswordAsync(AppUser user, string password, Guid? keepSession, AuditAction action, CancellationToken ct)
    {
        var problems = await passwords.ProblemsAsync(user, password, ctx.TenantId, ct);
        if (problems.Count > 0) return problems;
        passwords.Set(user, password);
        var reason = action == AuditActions.UserPasswordReset ? SessionEndReasons.PasswordReset : SessionEndReasons.PasswordChanged;
        if (keepSession is { } keep) await sessions.RevokeOthersForUserAsync(user.Id, keep, reason, ct);
        else await sessions.RevokeAllForUserAsync(user.Id, reason, ct);
        await tokens.EndAllForUserAsync(user.Id, ct);
        await emails.PasswordChangedAsync(user, otherSessionsEnded: keepSession is not null, ct);
        Audit(action, user);
        return [];
    }

    public void Audit(AuditAction action, AppUser user, object? details = null) => audit.Add(action, ctx.TenantId, "user", user.Id.ToString(), details);
}

