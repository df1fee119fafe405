using Microsoft.AspNetCore.Identity;

namespace Switchboard.Platform.Identity;

/// <summary>
/// A wrong password, wherever it was typed (sign-in, the current password of an account change, accepting an invitation
/// with an existing account): it counts towards the account's lockout, and the one that locks it is audited
/// (user.locked-out) and told to the account's owner by email, with what to do if it was not them.
/// </summary>
[Scoped]
public sealed class Lockouts(UserManager<AppUser> users, AccountEmails emails, AuditLog audit, AuditActor actor)
{
    /// <summary>Counts the wrong password (saved at once); true when it locked the account.</summary>
    public async Task<bool> WrongPasswordAsync(AppUser user, Guid? tenantId, CancellationToken ct)
    {
        await users.AccessFailedAsync(user);
        if (!await users.IsLockedOutAsync(user)) return false;
        var attempts = users.Options.Lockout.MaxFailedAccessAttempts;
        await emails.AccountLockedAsync(user, attempts, actor.Ip, user.LockoutEnd!.Value, ct);
        await audit.WriteAsync(AuditActions.UserLockedOut, tenantId, "user", user.Id.ToString(), new { email = user.Email, attempts, until = user.LockoutEnd }, ct);
        return true;
    }
}
