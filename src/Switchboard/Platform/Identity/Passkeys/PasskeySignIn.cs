using Fido2NetLib;
using Microsoft.AspNetCore.Identity;

namespace Switchboard.Platform.Identity.Passkeys;

/// <summary>
/// Passwordless sign-in with a passkey (ADR 0050): options that name no account (the browser offers the passkeys it
/// holds for us), then the assertion, which finds the account by its credential and user handle. A refused assertion
/// is audited and counts towards the account's lockout like a wrong password; an accepted one opens the session through
/// <see cref="SignInService.SignInVerifiedAsync"/>, so tenant choice, deactivation, lockout and SSO-required tenants
/// answer as for a password, and no second factor follows (user verification was required).
/// </summary>
[Scoped]
public sealed class PasskeySignIn(SwitchboardDbContext db, PasskeyCredentials passkeys, UserManager<AppUser> users, Lockouts lockouts, AuditLog audit,
    SignInService signIn)
{
    public Task<string> OptionsAsync(CancellationToken ct) => passkeys.AssertionOptionsAsync(null, ct);

    public async Task<SignInResult> SignInAsync(AuthenticatorAssertionRawResponse? assertion, string? tenantSlug, string kind, CancellationToken ct)
    {
        var check = await passkeys.VerifyAsync(assertion, null, ct);
        var user = check.UserId is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        if (!check.Ok || user is not { IsActive: true })
        {
            var reason = check.Failure ?? SignInFailures.UserInactive;
            await audit.WriteAsync(AuditActions.UserSignInFailed, null, "user", user?.Id.ToString(), new { email = user?.Email, reason, method = SignInMethods.Passkey }, ct);
            // A refused answer from a known passkey is a failed attempt at that account, counted like a wrong password.
            if (user is { IsActive: true } && check.Failure is PasskeyFailures.Rejected or PasskeyFailures.CounterRegression)
                await lockouts.WrongPasswordAsync(user, null, ct);
            return new InvalidCredentials();
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new InvalidCredentials(); // another answer with the same counter won
        }
        return await signIn.SignInVerifiedAsync(user, tenantSlug, kind, SignInMethods.Passkey, ct);
    }
}
