using Fido2NetLib;
using Microsoft.AspNetCore.Identity;
using Switchboard.Platform.Identity.Passkeys;

namespace Switchboard.Platform.Identity.TwoFactor;

/// <summary>The answer to the second step: the sign-in's result, how many recovery codes are left when one was used, the remembered device's cookie.</summary>
public sealed record SecondFactorOutcome(SignInResult Result, int? RecoveryCodesLeft = null, string? DeviceCookie = null);

/// <summary>The second step refused: a wrong code (try again), or a challenge that is over (<see cref="SignInAgain"/>).</summary>
public sealed record SecondFactorRejected(string Message, bool SignInAgain) : SignInResult
{
    public const string WrongCode = "The code is incorrect. Enter the current code from your authenticator app, or one of your recovery codes.";
    public const string Expired = "This sign-in has expired or was already used. Sign in again.";
    public const string WrongPasskey = "The passkey was not accepted. Try it again, or use a code from your authenticator app or a recovery code.";
}

/// <summary>
/// The second step of a sign-in (POST /api/v1/auth/login/mfa and the sign-in page's code form): the mfaToken of the
/// first step and a TOTP or recovery code, or a passkey's assertion (ADR 0050). A wrong code or a refused assertion is
/// audited and counts towards the account's lockout like a wrong password; a locked account's challenge ends. The right code spends the token and opens the session in the
/// tenant the first step chose, through <see cref="SignInService"/> (whose checks of the membership apply again).
/// Eleven dependencies: the challenge, the codes and passkeys, the account and its lockout, the tenant, the audit, the session, the device, the clock.
/// </summary>
[Scoped]
public sealed class SecondFactorSignIn(SwitchboardDbContext db, UserManager<AppUser> users, TenantContext tenant, MfaChallenges challenges,
    SecondFactorCodes codes, PasskeyCredentials passkeys, Lockouts lockouts, AuditLog audit, SignInService signIn, RememberedDevices devices, TimeProvider clock)
{
    /// <summary>The options (JSON) for the user's passkeys to answer the live challenge <paramref name="mfaToken"/>; null when it is over or they have none.</summary>
    public async Task<string?> PasskeyOptionsAsync(string? mfaToken, string kind, CancellationToken ct)
    {
        var challenge = await challenges.FindLiveAsync(mfaToken, kind, ct);
        if (challenge is null || (await passkeys.ListAsync(challenge.UserId, ct)).Count == 0) return null;
        return await passkeys.AssertionOptionsAsync(challenge.UserId, ct);
    }

    /// <param name="passkey">A passkey's assertion, answering the options of POST /login/mfa/passkey, in place of <paramref name="code"/>.</param>
    public async Task<SecondFactorOutcome> CompleteAsync(string? mfaToken, string? code, string kind, bool rememberDevice, string? userAgent, CancellationToken ct,
        AuthenticatorAssertionRawResponse? passkey = null)
    {
        var challenge = await challenges.FindLiveAsync(mfaToken, kind, ct);
        var user = challenge is null ? null : await users.FindByIdAsync(challenge.UserId.ToString());
        if (challenge is null || user is not { IsActive: true }) return new(new SecondFactorRejected(SecondFactorRejected.Expired, true));
        await tenant.SetUserAsync(user.Id, user.IsSuperadmin);
        var target = (await signIn.MembershipsAsync(user.Id, ct)).FirstOrDefault(m => m.Tenant.Id == challenge.TenantId && m.IsActive);
        if (target is not null) await tenant.EnterTenantAsync(TenantMessages.Settings(target.Tenant), target.Role);
        var auditTenant = target?.Tenant.Id;
        var now = clock.GetUtcNow();

        if (await users.IsLockedOutAsync(user))
        {
            challenge.UsedAt = now;
            await audit.WriteAsync(AuditActions.UserSecondFactorFailed, auditTenant, "user", user.Id.ToString(), new { email = user.Email, reason = SignInFailures.LockedOut }, ct);
            return new(new SecondFactorRejected(SecondFactorRejected.Expired, true));
        }
        var (check, failure) = passkey is null ? (await codes.CheckAsync(user.Id, code, allowRecovery: true, ct), "wrong-code") : await PasskeyAsync(user.Id, passkey, ct);
        if (!check.Ok)
        {
            await audit.WriteAsync(AuditActions.UserSecondFactorFailed, auditTenant, "user", user.Id.ToString(), new { email = user.Email, reason = failure }, ct);
            var locked = await lockouts.WrongPasswordAsync(user, auditTenant, ct);
            return new(new SecondFactorRejected(locked ? SecondFactorRejected.Expired : passkey is null ? SecondFactorRejected.WrongCode : SecondFactorRejected.WrongPasskey, locked));
        }

        challenge.UsedAt = now;
        if (check.UsedRecoveryCode)
            audit.Add(AuditActions.UserRecoveryCodeUsed, auditTenant, "user", user.Id.ToString(), new { email = user.Email, remaining = check.RecoveryCodesLeft });
        string? cookie = null;
        if (rememberDevice && kind == "web")
        {
            cookie = devices.Remember(user.Id, userAgent);
            audit.Add(AuditActions.UserDeviceRemembered, auditTenant, "user", user.Id.ToString(), new { email = user.Email, days = (int)RememberedDevices.Lifetime.TotalDays });
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another request spent the same token or code first.
            return new(new SecondFactorRejected(SecondFactorRejected.Expired, true));
        }
        await users.ResetAccessFailedCountAsync(user);
        var result = await signIn.ContinueAsync(user, challenge.TenantId, kind, challenge.SignInMethod, ct);
        return new(result, check.UsedRecoveryCode ? check.RecoveryCodesLeft : null, cookie);
    }

    /// <summary>A passkey's assertion checked like a code: why it was refused is audited (a counter that went back among the reasons).</summary>
    private async Task<(CodeCheck, string)> PasskeyAsync(Guid userId, AuthenticatorAssertionRawResponse passkey, CancellationToken ct)
    {
        var verified = await passkeys.VerifyAsync(passkey, userId, ct);
        return verified.Ok ? (new CodeCheck(true, false, 0), "") : (CodeCheck.Wrong, verified.Failure!);
    }
}
