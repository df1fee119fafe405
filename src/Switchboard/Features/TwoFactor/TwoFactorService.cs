using Switchboard.Platform.Email;
using Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Features.TwoFactor;

public sealed record TwoFactorStatus(bool Enabled, IReadOnlyList<string> Methods, DateTimeOffset? EnabledAt, int RecoveryCodesLeft, bool EnrolmentPending,
    string Requirement, DateTimeOffset? EnrolBy);
public sealed record TotpEnrolment(string Secret, string OtpauthUri);
public sealed record RecoveryCodesDto(IReadOnlyList<string> RecoveryCodes);
public sealed record TwoFactorCodeRequest(string? Code);

/// <summary>
/// A person's own second factor (ADR 0045): start TOTP enrolment (a secret that is not asked for until confirmed with a
/// code), confirm it (ten recovery codes, shown once), new recovery codes and turning it off (both need a current
/// code), and an administrator's reset of a member's. Every change is audited and told to the person by email.
/// Nine dependencies: the codes and the secret, the lockout for wrong codes, the audit and the notice email (outbox, links), ambient database, tenant and clock.
/// </summary>
[Scoped]
public sealed class TwoFactorService(SwitchboardDbContext db, TenantContext ctx, SecondFactorCodes codes, TotpSecrets totp, Lockouts lockouts,
    AuditLog audit, EmailOutbox outbox, AppLinks links, TimeProvider clock)
{
    public async Task<TwoFactorStatus> StatusAsync(CancellationToken ct)
    {
        var userId = ctx.RequiredUserId;
        var factor = await codes.TotpAsync(userId, ct);
        var methods = await codes.MethodsAsync(userId, ct);
        var (requirement, enrolBy) = await RequirementAsync(userId, ct);
        return new TwoFactorStatus(methods.Count > 0, methods, factor?.ConfirmedAt, methods.Count > 0 ? await codes.RecoveryCodesLeftAsync(userId, ct) : 0,
            factor is { ConfirmedAt: null }, requirement, methods.Count > 0 ? null : enrolBy);
    }

    /// <summary>The secret of an enrolment in progress, for the page to show again until it is confirmed; null when none is.</summary>
    public async Task<TotpEnrolment?> PendingAsync(CancellationToken ct)
    {
        var factor = await codes.TotpAsync(ctx.RequiredUserId, ct);
        return factor is { ConfirmedAt: null, SecretProtected: { } secret } ? await EnrolmentAsync(totp.Reveal(secret), ct) : null;
    }

    public async Task<Outcome<TotpEnrolment>> BeginTotpAsync(CancellationToken ct)
    {
        var userId = ctx.RequiredUserId;
        var factor = await codes.TotpAsync(userId, ct);
        if (factor is { ConfirmedAt: not null })
            return new Outcome<TotpEnrolment>.Conflict("Two-factor sign-in is already on. Turn it off first to move it to another authenticator app.");
        var (base32, protectedSecret) = totp.New();
        if (factor is null)
            db.Set<UserSecondFactor>().Add(new UserSecondFactor
            {
                Id = Guid.CreateVersion7(), UserId = userId, Method = SecondFactorMethods.Totp, SecretProtected = protectedSecret, CreatedAt = clock.GetUtcNow(),
            });
        else
        {
            factor.SecretProtected = protectedSecret;
            factor.CreatedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(ct);
        return await EnrolmentAsync(base32, ct);
    }

    public async Task<Outcome<RecoveryCodesDto>> ConfirmTotpAsync(TwoFactorCodeRequest body, CancellationToken ct)
    {
        var userId = ctx.RequiredUserId;
        var factor = await codes.TotpAsync(userId, ct);
        if (factor is not { ConfirmedAt: null, SecretProtected: { } secret })
            return new Outcome<RecoveryCodesDto>.Conflict(factor is null ? "Start the enrolment first." : "Two-factor sign-in is already on.");
        var now = clock.GetUtcNow();
        if (totp.MatchStep(secret, body.Code?.Trim() ?? "", now) is not { } step)
            return Invalid<RecoveryCodesDto>("The code is not right. Enter the 6-digit code your authenticator app shows now.");
        factor.ConfirmedAt = now;
        factor.LastUsedStep = step;
        factor.LastUsedAt = now;
        var recovery = await codes.NewRecoveryCodesAsync(userId, ct);
        await ChangedAsync(userId, AuditActions.UserSecondFactorEnrolled, "Two-factor sign-in with an authenticator app was turned on for your account.", new { method = SecondFactorMethods.Totp }, ct);
        return new RecoveryCodesDto(recovery);
    }

    public async Task<Outcome<RecoveryCodesDto>> RegenerateRecoveryCodesAsync(TwoFactorCodeRequest body, CancellationToken ct)
    {
        var userId = ctx.RequiredUserId;
        if (await CheckOwnCodeAsync(userId, body, allowRecovery: false, ct) is { } refused) return refused.Cast<RecoveryCodesDto>();
        var recovery = await codes.NewRecoveryCodesAsync(userId, ct);
        audit.Add(AuditActions.UserRecoveryCodesRegenerated, ctx.TenantId, "user", userId.ToString(), new { count = recovery.Count });
        await db.SaveChangesAsync(ct);
        return new RecoveryCodesDto(recovery);
    }

    public async Task<Outcome<TwoFactorStatus>> DisableAsync(TwoFactorCodeRequest body, CancellationToken ct)
    {
        var userId = ctx.RequiredUserId;
        if (await CheckOwnCodeAsync(userId, body, allowRecovery: true, ct) is { } refused) return refused.Cast<TwoFactorStatus>();
        await db.SaveChangesAsync(ct); // a recovery code used to turn it off is spent like any other
        await codes.RemoveAllAsync(userId, ct);
        await ChangedAsync(userId, AuditActions.UserSecondFactorDisabled, "Two-factor sign-in was turned off for your account.", new { method = SecondFactorMethods.Totp }, ct);
        return await StatusAsync(ct);
    }

    /// <summary>
    /// An administrator removes a member's second factor (lost phone): factors, recovery codes and remembered devices go;
    /// the member signs in with their password and, where the tenant requires it, enrols again at once.
    /// </summary>
    public async Task<Outcome<bool>> ResetMemberAsync(Guid memberId, CancellationToken ct)
    {
        if (ctx.Role is not (TenantRole.Admin or TenantRole.Superadmin)) return new Outcome<bool>.Forbidden("Only administrators can reset a member's two-factor sign-in.");
        var member = await db.Memberships.AsNoTracking().Include(m => m.User).SingleOrDefaultAsync(m => m.UserId == memberId, ct);
        if (member is null) return new Outcome<bool>.NotFound();
        if (!await codes.RemoveAllAsync(memberId, ct)) return false;
        var by = await db.Users.AsNoTracking().Where(u => u.Id == ctx.UserId).Select(u => u.FirstName + " " + u.LastName).SingleOrDefaultAsync(ct);
        await ChangedAsync(memberId, AuditActions.UserSecondFactorReset,
            $"{(by?.Trim() is { Length: > 0 } name ? name : "An administrator")} of {ctx.Tenant!.Name} reset two-factor sign-in for your account. Set it up again from your profile.",
            new { email = member.User!.Email }, ct, member.User);
        return true;
    }

    internal async Task<Outcome<bool>?> CheckOwnCodeAsync(Guid userId, TwoFactorCodeRequest body, bool allowRecovery, CancellationToken ct)
    {
        if ((await codes.MethodsAsync(userId, ct)).Count == 0) return new Outcome<bool>.Conflict("Two-factor sign-in is not on.");
        if (string.IsNullOrWhiteSpace(body.Code)) return Invalid<bool>("Enter the code from your authenticator app.");
        if ((await codes.CheckAsync(userId, body.Code, allowRecovery, ct)).Ok) return null;
        // A wrong code here is a guess at the account's second factor, counted like a wrong current password.
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        await lockouts.WrongPasswordAsync(user, ctx.TenantId, ct);
        return Invalid<bool>(allowRecovery ? "The code is not right. Enter the current code from your authenticator app, or a recovery code."
            : "The code is not right. Enter the current code from your authenticator app.");
    }

    /// <summary>Audits a change of the user's second factors, tells them by email and saves.</summary>
    internal async Task ChangedAsync(Guid userId, AuditAction action, string change, object details, CancellationToken ct, AppUser? user = null)
    {
        user ??= await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
        audit.Add(action, ctx.TenantId, "user", userId.ToString(), details);
        var when = clock.GetUtcNow().UtcDateTime.ToString("MMM d, yyyy h:mm tt 'UTC'", CultureInfo.InvariantCulture);
        await outbox.QueueAsync(new SecondFactorChangedEmail(change, when, links.To("/profile#two-factor")), new EmailRecipient(user.Email!, user.DisplayName), tenantId: null, ct);
        await db.SaveChangesAsync(ct);
    }

    private async Task<TotpEnrolment> EnrolmentAsync(string base32, CancellationToken ct)
    {
        var email = await db.Users.AsNoTracking().Where(u => u.Id == ctx.RequiredUserId).Select(u => u.Email).SingleAsync(ct);
        return new TotpEnrolment(base32, TotpSecrets.Uri(base32, email!));
    }

    /// <summary>The requirement of the tenant signed into for this user, and by when they must enrol (null: not required).</summary>
    private async Task<(string Requirement, DateTimeOffset? EnrolBy)> RequirementAsync(Guid userId, CancellationToken ct)
    {
        if (ctx.TenantId is not { } tenantId || ctx.Role is not { } role) return (MfaRequirements.Off, null);
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => new { t.MfaRequirement, t.MfaGraceDays }).SingleAsync(ct);
        if (!MfaRequirements.AppliesTo(tenant.MfaRequirement, role)) return (tenant.MfaRequirement, null);
        var since = await db.Memberships.AsNoTracking().Where(m => m.UserId == userId).Select(m => m.MfaRequiredSince).SingleOrDefaultAsync(ct);
        return (tenant.MfaRequirement, (since ?? clock.GetUtcNow()).AddDays(tenant.MfaGraceDays));
    }

    internal static Outcome<T> Invalid<T>(string message) => new Outcome<T>.Invalid(new Dictionary<string, string[]> { ["code"] = [message] });
}

internal static class OutcomeCasts
{
    /// <summary>A refusal of one outcome type as another (refusals carry no value).</summary>
    public static Outcome<T> Cast<T>(this Outcome<bool> refusal) => refusal switch
    {
        Outcome<bool>.Invalid i => new Outcome<T>.Invalid(i.Errors),
        Outcome<bool>.Conflict c => new Outcome<T>.Conflict(c.Message),
        Outcome<bool>.Forbidden f => new Outcome<T>.Forbidden(f.Message),
        _ => new Outcome<T>.NotFound(),
    };
}
