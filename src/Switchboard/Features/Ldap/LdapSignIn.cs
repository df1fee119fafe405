using Microsoft.AspNetCore.Identity;

namespace Switchboard.Features.Ldap;

/// <summary>
/// LDAP / Active Directory sign-in (issue 12 §5, ADR 0048). For a member entering a tenant whose LDAP sign-in is on, the
/// password is checked by binding to the directory with the member's own credentials instead of the local hash (except
/// the tenant's break-glass administrator and superadmins); the directory's groups set the member's role at each sign-in
/// when the tenant maps groups to roles. A directory user without an account is provisioned at their first sign-in
/// when the tenant allows it and the sign-in names the tenant.
/// </summary>
// Wide on purpose: database, tenant, audit and clock are ambient; the rest are the sign-in's parts: the tenant's LDAP
// settings, the directory bind, and Identity's user store for provisioning.
[Scoped]
public sealed class LdapSignIn(
    SwitchboardDbContext db, UserManager<AppUser> users, TenantContext tenant, AuditLog audit, AuditActor actor,
    LdapSettingsService settingsService, LdapDirectory directory, TimeProvider clock) : IDirectorySignIn
{
    private static readonly AppUser TimingDecoy = new() { FirstName = "", LastName = "" };

    /// <summary>
    /// Checks <paramref name="password"/> with the directory for <paramref name="user"/> entering <paramref name="target"/>;
    /// null (the local password decides) when the tenant has no LDAP sign-in on, or for its break-glass admin and superadmins.
    /// </summary>
    public async Task<PasswordCheck?> CheckAsync(AppUser user, MembershipChoice? target, string password, CancellationToken ct)
    {
        var settings = target is null || user.IsSuperadmin ? null : await EnabledSettingsAsync(target.Tenant, ct);
        if (settings is null || settings.BreakGlassUserId == user.Id) return null;

        // The local hash is still computed: a directory member's sign-in costs what anyone's does, on top of the directory.
        SpendOneHash(password);
        var verdict = await directory.AuthenticateAsync(settingsService.TargetOf(settings), user.Email!, password, ct);
        if (verdict is not DirectoryVerdict.Authenticated authenticated) return new PasswordCheck(SignInMethods.Ldap, FailureOf(verdict));
        var role = RoleFor(settings, authenticated, current: target!.Role);
        if (role != target.Role) await SetRoleAsync(target.Tenant.Id, user, role, authenticated, ct);
        return new PasswordCheck(SignInMethods.Ldap, null, role);
    }

    /// <summary>
    /// An account for a directory user at their first sign-in (just-in-time provisioning): only when the sign-in names a
    /// tenant whose LDAP sign-in is on and provisions, and the directory accepts the password. Null otherwise, and the
    /// sign-in goes on as for an unknown address. A tenant with LDAP on is asked whatever the result, so an unknown
    /// address costs a directory round trip like a known one.
    /// </summary>
    public async Task<AppUser?> ProvisionAsync(string email, string password, string? tenantSlug, CancellationToken ct)
    {
        if (tenantSlug is null || !IsPlausibleEmail(email)) return null;
        var found = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == tenantSlug && t.IsActive, ct);
        if (found is null) return null;
        var settings = await EnabledSettingsAsync(found, ct);
        if (settings is null) return null;
        var verdict = await directory.AuthenticateAsync(settingsService.TargetOf(settings), email, password, ct);
        if (!settings.JitProvisioning || verdict is not DirectoryVerdict.Authenticated authenticated) return null;

        var role = RoleFor(settings, authenticated, current: null);
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true, CreatedAt = clock.GetUtcNow(),
            FirstName = Trim(authenticated.GivenName) ?? LdapEscape.UserName(email), LastName = Trim(authenticated.Surname) ?? "",
        };
        await using var unit = await db.BeginUnitOfWorkAsync(ct);
        if (!(await users.CreateAsync(user)).Succeeded) return null;
        db.Memberships.Add(new TenantMembership { UserId = user.Id, Role = role.ToName() });
        actor.System(ActorName);
        audit.Add(AuditActions.UserProvisionedFromDirectory, found.Id, "user", user.Id.ToString(), new { email, role = role.ToName(), dn = authenticated.Dn });
        await db.SaveChangesAsync(ct);
        await unit.CommitAsync(ct);
        return user;
    }

    private const string ActorName = "ldap";

    private async Task<TenantLdapSettings?> EnabledSettingsAsync(Tenant target, CancellationToken ct)
    {
        // The settings are tenant rows: read inside the tenant (the sign-in enters it anyway to audit).
        await tenant.EnterTenantAsync(TenantMessages.Settings(target), TenantRole.Readonly);
        return await db.LdapSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == target.Id && s.IsEnabled, ct);
    }

    /// <summary>With group mappings, the highest role among the person's mapped groups, else the default role; without, the role stays.</summary>
    private static TenantRole RoleFor(TenantLdapSettings settings, DirectoryVerdict.Authenticated person, TenantRole? current)
    {
        var mappings = LdapSettingsService.GroupRolesOf(settings);
        var fallback = TenantRoles.MembershipRoleOrReadonly(settings.DefaultRole);
        if (mappings.Count == 0) return current ?? fallback;
        var groups = person.Groups.Select(LdapEscape.NormalizeDn).ToHashSet();
        var mapped = mappings.Where(m => groups.Contains(LdapEscape.NormalizeDn(m.Group)))
            .Select(m => TenantRoles.MembershipRoleOrReadonly(m.Role))
            .ToList();
        return mapped.Count > 0 ? mapped.Max() : fallback;
    }

    private async Task SetRoleAsync(Guid tenantId, AppUser user, TenantRole role, DirectoryVerdict.Authenticated person, CancellationToken ct)
    {
        var membership = await db.Memberships.SingleAsync(m => m.UserId == user.Id, ct);
        var old = membership.Role;
        membership.Role = role.ToName();
        actor.System(ActorName);
        audit.Add(AuditActions.MembershipRoleFromDirectory, tenantId, "membership", user.Id.ToString(),
            new { email = user.Email, role = new { old, @new = membership.Role }, groups = person.Groups });
        await db.SaveChangesAsync(ct);
    }

    private static string FailureOf(DirectoryVerdict verdict) => verdict switch
    {
        DirectoryVerdict.WrongPassword => SignInFailures.WrongPassword,
        DirectoryVerdict.NotFound => SignInFailures.DirectoryAccountMissing,
        DirectoryVerdict.Disabled => SignInFailures.DirectoryAccountDisabled,
        _ => SignInFailures.DirectoryUnavailable,
    };

    private void SpendOneHash(string password) => users.PasswordHasher.HashPassword(TimingDecoy, password);

    private static bool IsPlausibleEmail(string email) => email.Length <= 254 && email.IndexOf('@') is > 0 and var at && at < email.Length - 1;

    private static string? Trim(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim()[..Math.Min(text.Trim().Length, 100)];
}
