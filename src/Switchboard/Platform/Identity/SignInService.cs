using Microsoft.AspNetCore.Identity;

namespace Switchboard.Platform.Identity;

public abstract record SignInResult;
/// <summary>Signed in; <see cref="MfaEnrolment"/> when the tenant requires a second factor the user has not set up yet (ADR 0045).</summary>
public sealed record SignedIn(AppUser User, UserSession Session, Tenant? Tenant, TwoFactor.MfaEnrolmentDue? MfaEnrolment = null) : SignInResult;
public sealed record InvalidCredentials : SignInResult;
public sealed record TenantUnavailable(string Message) : SignInResult;

/// <summary>The password was right but has expired under a tenant's policy: no session, a token to set a new one with.</summary>
public sealed record PasswordExpired(string ResetToken) : SignInResult;

/// <summary>The password was right and a second factor is needed: no session yet; the mfaToken and a code finish the sign-in (ADR 0045).</summary>
public sealed record SecondFactorRequired(string MfaToken, IReadOnlyList<string> Methods) : SignInResult;

/// <summary>The tenant requires a second factor, the user has none and their grace period is over: an API sign-in is refused.</summary>
public sealed record SecondFactorEnrolmentRequired(string TenantName) : SignInResult;

/// <summary>
/// Password sign-in for both the web UI and the API: checks the password with Identity (hashing,
/// lockout) or, for a tenant with LDAP sign-in, with its directory (<see cref="IDirectorySignIn"/>), picks the tenant,
/// opens a session and audits success and failure alike. Eleven dependencies: each is one step of the sign-in (find,
/// check the password or the directory, lock out, expire, second factor, enter the tenant, open the session, audit, count
/// the client's failures for the abuse monitor), kept in one place so every path costs the same. The second factor
/// (ADR 0045) is one more step after the password, in <see cref="TwoFactor.SecondFactorGate"/>.
/// </summary>
[Scoped]
public sealed class SignInService(
    SwitchboardDbContext db,
    UserManager<AppUser> users,
    TenantContext tenant,
    AuditActor actor,
    AuditLog audit,
    SessionStore sessions,
    Lockouts lockouts,
    PasswordExpiry expiry,
    IDirectorySignIn directory,
    TwoFactor.SecondFactorGate secondFactor,
    Protection.AbuseMonitor abuse)
{
    private static readonly AppUser TimingDecoy = new() { FirstName = "", LastName = "" };

    /// <param name="rememberedDevice">The browser's remembered-device cookie, which spares its user the second factor.</param>
    public async Task<SignInResult> SignInAsync(string email, string password, string? tenantSlug, string kind, CancellationToken ct, string? rememberedDevice = null)
    {
        var user = await users.FindByEmailAsync(email) ?? await directory.ProvisionAsync(email, password, tenantSlug, ct);
        if (user is null || !user.IsActive)
        {
            SpendOneHash(null, password);
            await audit.WriteAsync(AuditActions.UserSignInFailed, null, "user", user?.Id.ToString(), new { email, reason = user is null ? SignInFailures.UnknownEmail : SignInFailures.UserInactive }, ct);
            await StrikeAsync(ct);
            return new InvalidCredentials();
        }

        await tenant.SetUserAsync(user.Id, user.IsSuperadmin);
        var memberships = await MembershipsAsync(user.Id, ct);
        var target = ChooseTenant(user, memberships, tenantSlug)
                     ?? (user.IsSuperadmin ? await SuperadminTenantAsync(user, tenantSlug, ct) : null);

        if (await users.IsLockedOutAsync(user))
        {
            // The password is not checked, but its hash is still computed: a locked account answers as slowly as any other.
            SpendOneHash(user, password);
            await AuditFailureAsync(user, target, SignInFailures.LockedOut, ct);
            return new InvalidCredentials();
        }
        var check = await directory.CheckAsync(user, target, password, ct)
                    ?? new PasswordCheck(SignInMethods.Password, await users.CheckPasswordAsync(user, password) ? null : SignInFailures.WrongPassword);
        if (!check.Accepted)
        {
            await AuditFailureAsync(user, target, check.Failure!, ct, check.Method);
            if (check.Failure == SignInFailures.WrongPassword) await lockouts.WrongPasswordAsync(user, target?.Tenant.Id, ct);
            return new InvalidCredentials();
        }
        if (check.Role is { } directoryRole) target = target! with { Role = directoryRole };
        await users.ResetAccessFailedCountAsync(user);

        if (TenantRefusal(user, target, tenantSlug) is { } refused)
        {
            await AuditFailureAsync(user, target, refused.Reason, ct, check.Method);
            return refused.Result;
        }
        if (await expiry.ResetTokenIfExpiredAsync(user, target?.Tenant.Id, ct) is { } resetToken)
        {
            await AuditFailureAsync(user, target, SignInFailures.PasswordExpired, ct); // saves the token with the audit row
            return new PasswordExpired(resetToken);
        }

        var gate = await secondFactor.CheckAsync(user, target, kind, check.Method, rememberedDevice, ct);
        if (gate.Stop is { } stop) return stop;
        return await OpenSessionAsync(user, target?.Tenant, target?.Role, kind, ct, check.Method, gate.Due);
    }

    /// <summary>Opens the session a sign-in chose once its second factor was given: in that tenant (checked again), or outside tenants.</summary>
    public Task<SignInResult> ContinueAsync(AppUser user, Guid? tenantId, string kind, string method, CancellationToken ct) =>
        tenantId is { } id ? SwitchAsync(user, id, kind, fromSession: null, ct, method) : OpenSessionAsync(user, null, null, kind, ct, method);

    /// <summary>
    /// Opens the session of someone a passkey has just identified and verified (ADR 0050; <see cref="Passkeys.PasskeySignIn"/>):
    /// the tenant choice, refusals and audit of a password sign-in, method "passkey", and no second factor after it
    /// (the passkey with user verification is two). Refused where the tenant refuses a password (SSO required).
    /// </summary>
    public async Task<SignInResult> SignInVerifiedAsync(AppUser user, string? tenantSlug, string kind, string method, CancellationToken ct)
    {
        await tenant.SetUserAsync(user.Id, user.IsSuperadmin);
        var target = ChooseTenant(user, await MembershipsAsync(user.Id, ct), tenantSlug) ?? (user.IsSuperadmin ? await SuperadminTenantAsync(user, tenantSlug, ct) : null);
        (string Reason, SignInResult Result)? refusal = await users.IsLockedOutAsync(user)
            ? (SignInFailures.LockedOut, new InvalidCredentials())
            : TenantRefusal(user, target, tenantSlug);
        if (refusal is { } refused)
        {
            await AuditFailureAsync(user, target, refused.Reason, ct, method);
            return refused.Result;
        }
        await users.ResetAccessFailedCountAsync(user);
        return await OpenSessionAsync(user, target?.Tenant, target?.Role, kind, ct, method);
    }

    /// <summary>
    /// Spends the hashing work of one password check without using its result, on every path that answers before
    /// checking the password (unknown or inactive account, locked account), so that how long sign-in takes does
    /// not tell which addresses have accounts or which accounts are locked. The user's own hash when there is one
    /// (its iteration count is the one a real check would pay), else a fresh hash at the current count.
    /// </summary>
    private void SpendOneHash(AppUser? user, string password)
    {
        if (user?.PasswordHash is { Length: > 0 } hash) users.PasswordHasher.VerifyHashedPassword(user, hash, password);
        else users.PasswordHasher.HashPassword(TimingDecoy, password);
    }

    /// <summary>
    /// Opens a session for an already authenticated user in another tenant (tenant switch). A session opened by a
    /// tenant's identity provider stays in that tenant, and a tenant that requires SSO is entered only through it (ADR 0047).
    /// A tenant that requires a second factor of a user who has none walks them through enrolment as a sign-in would.
    /// The new session keeps the sign-in method of the session it replaces (<paramref name="method"/>).
    /// </summary>
    public async Task<SignInResult> SwitchAsync(AppUser user, Guid tenantId, string kind, Guid? fromSession, CancellationToken ct,
        string method = SignInMethods.Password)
    {
        if (fromSession is { } from)
        {
            method = await db.Sessions.AsNoTracking().Where(s => s.Id == from).Select(s => s.SignInMethod).SingleOrDefaultAsync(ct) ?? method;
            if (method == SignInMethods.Sso) return new TenantUnavailable(SsoRequirement.SwitchRefused);
        }
        await tenant.SetUserAsync(user.Id, user.IsSuperadmin);
        var memberships = await MembershipsAsync(user.Id, ct);
        var target = memberships.FirstOrDefault(m => m.Tenant.Id == tenantId && m.IsActive);
        if (target is null && user.IsSuperadmin)
        {
            var any = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, ct);
            if (any is not null) target = new MembershipChoice(any, TenantRole.Superadmin, true);
        }
        if (target is null) return new TenantUnavailable("You are not a member of that tenant.");
        if (!target.Tenant.IsActive && !user.IsSuperadmin) return new TenantUnavailable(TenantMessages.Deactivated(target.Tenant.Name));
        if (SsoRequirement.RefusesPassword(target.Tenant, target.Role, user)) return new TenantUnavailable(SsoRequirement.PasswordRefused(target.Tenant.Name));
        var gate = await secondFactor.EnteringAsync(user, target, kind, ct);
        if (gate.Stop is { } stop) return stop;
        return await OpenSessionAsync(user, target.Tenant, target.Role, kind, ct, method, gate.Due);
    }

    public Task<IReadOnlyList<MembershipChoice>> MembershipsAsync(Guid userId, CancellationToken ct) => MembershipsAsync(db, userId, ct);

    /// <summary>The user's memberships with their tenants, by tenant name; static so readers need no UserManager (a large graph to build per request).</summary>
    public static async Task<IReadOnlyList<MembershipChoice>> MembershipsAsync(SwitchboardDbContext db, Guid userId, CancellationToken ct)
    {
        // Reads the user's own memberships across tenants: RLS allows this through app.user_id.
        var rows = await (from m in db.Memberships.IgnoreQueryFilters().AsNoTracking()
                          join t in db.Tenants.AsNoTracking() on m.TenantId equals t.Id
                          where m.UserId == userId
                          orderby t.Name
                          select new { Tenant = t, m.Role, m.IsActive })
            .ToListAsync(ct);
        return rows
            .Select(x => new MembershipChoice(x.Tenant, TenantRoles.MembershipRoleOrReadonly(x.Role), x.IsActive))
            .ToList();
    }

    /// <summary>
    /// Opens a session for a member whom a tenant's identity provider has just vouched for (ADR 0047): the same session,
    /// tenant entry and signed-in audit row as a password sign-in, marked as single sign-on.
    /// </summary>
    public async Task<SignedIn> SignInWithSsoAsync(AppUser user, Tenant target, TenantRole role, CancellationToken ct)
    {
        await tenant.EnterAsync(user.Id, user.IsSuperadmin, TenantMessages.Settings(target), role);
        return (SignedIn)await OpenSessionAsync(user, target, role, "web", ct, SignInMethods.Sso);
    }

    private async Task<SignInResult> OpenSessionAsync(AppUser user, Tenant? target, TenantRole? role, string kind, CancellationToken ct,
        string method = SignInMethods.Password, TwoFactor.MfaEnrolmentDue? enrolment = null)
    {
        actor.SignedIn(user.Id, user.Email);
        if (target is not null) await tenant.EnterTenantAsync(TenantMessages.Settings(target), role ?? TenantRole.Superadmin);
        var session = sessions.Open(user.Id, target?.Id, kind, actor.Ip, actor.UserAgent);
        session.SignInMethod = method;
        user.LastTenantId = target?.Id ?? user.LastTenantId;
        audit.Add(AuditActions.UserSignedIn, target?.Id, "user", user.Id.ToString(), new { kind, method });
        await db.SaveChangesAsync(ct);
        return new SignedIn(user, session, target, enrolment);
    }

    /// <summary>
    /// Why the tenant a sign-in chose cannot be entered once the person has proved who they are (password, directory or
    /// passkey), with the audit row's reason; null when it can. One list for every way of signing in.
    /// </summary>
    private static (string Reason, SignInResult Result)? TenantRefusal(AppUser user, MembershipChoice? target, string? tenantSlug) =>
        tenantSlug is not null && target is null ? (SignInFailures.NotAMember, new TenantUnavailable($"You are not a member of the tenant '{tenantSlug}'."))
        : target is null && !user.IsSuperadmin ? (SignInFailures.NoTenant, new TenantUnavailable("Your account is not a member of any active tenant."))
        : target is { Tenant.IsActive: false } && !user.IsSuperadmin ? (SignInFailures.TenantDeactivated, new TenantUnavailable(TenantMessages.Deactivated(target.Tenant.Name)))
        : target is not null && SsoRequirement.RefusesPassword(target.Tenant, target.Role, user) ? (SignInFailures.SsoRequired, new TenantUnavailable(SsoRequirement.PasswordRefused(target.Tenant.Name)))
        : null;

    private static MembershipChoice? ChooseTenant(AppUser user, IReadOnlyList<MembershipChoice> memberships, string? slug)
    {
        var active = memberships.Where(m => m.IsActive).ToList();
        if (slug is not null) return active.FirstOrDefault(m => m.Tenant.Slug == slug);
        return active.FirstOrDefault(m => m.Tenant.Id == user.LastTenantId && (m.Tenant.IsActive || user.IsSuperadmin))
               ?? active.FirstOrDefault(m => m.Tenant.IsActive)
               ?? active.FirstOrDefault();
    }

    /// <summary>Superadmins may enter any tenant: the one named, else the last one used, else the first.</summary>
    private async Task<MembershipChoice?> SuperadminTenantAsync(AppUser user, string? slug, CancellationToken ct)
    {
        var tenants = db.Tenants.AsNoTracking();
        var tenant = slug is not null
            ? await tenants.SingleOrDefaultAsync(t => t.Slug == slug, ct)
            : await tenants.SingleOrDefaultAsync(t => t.Id == user.LastTenantId, ct)
              ?? await tenants.OrderBy(t => t.Name).FirstOrDefaultAsync(ct);
        return tenant is null ? null : new MembershipChoice(tenant, TenantRole.Superadmin, true);
    }

    private async Task AuditFailureAsync(AppUser user, MembershipChoice? target, string reason, CancellationToken ct, string method = SignInMethods.Password)
    {
        if (target is not null) await tenant.EnterTenantAsync(TenantMessages.Settings(target.Tenant), target.Role);
        await audit.WriteAsync(AuditActions.UserSignInFailed, target?.Tenant.Id, "user", user.Id.ToString(), new { email = user.Email, reason, method }, ct);
        await StrikeAsync(ct);
    }

    /// <summary>A failed sign-in counts against the client's address (ADR 0046): enough of them block it for a while.</summary>
    private Task StrikeAsync(CancellationToken ct) =>
        abuse.StrikeAsync(System.Net.IPAddress.TryParse(actor.Ip, out var ip) ? ip : null, Protection.AbuseMonitor.SignInFailed, ct);
}

public sealed record MembershipChoice(Tenant Tenant, TenantRole Role, bool IsActive);
