using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Switchboard.Features.Ldap;

/// <summary>The answer of POST /api/v1/tenants/current/ldap/test.</summary>
public sealed record LdapTestResult(bool Ok, string? Problem);

/// <summary>
/// A tenant's LDAP sign-in configuration (admins only, ADR 0048). The service account's password is encrypted with Data
/// Protection and never returned; every change is audited without it (only whether it changed).
/// </summary>
[Scoped]
public sealed class LdapSettingsService(
    SwitchboardDbContext db, TenantContext ctx, AuditLog audit, IDataProtectionProvider protection, LdapDirectory directory)
{
    private readonly IDataProtector _protector = protection.CreateProtector(ProtectorPurpose);
    internal const string ProtectorPurpose = "Switchboard.Ldap.BindPassword.v1";
    private const int MaxText = 1000;

    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    public async Task<Outcome<LdapSettingsDto>> GetAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<LdapSettingsDto>.Forbidden("Only administrators can see the LDAP settings.");
        return await db.LdapSettings.AsNoTracking().SingleOrDefaultAsync(ct) is { } stored ? ToDto(stored) : new Outcome<LdapSettingsDto>.NotFound();
    }

    public async Task<Outcome<LdapSettingsDto>> PutAsync(LdapSettingsWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<LdapSettingsDto>.Forbidden("Only administrators can change the LDAP settings.");
        var stored = await db.LdapSettings.SingleOrDefaultAsync(ct);
        var errors = body.BindingErrors();
        var settings = await ValidateAsync(body, stored, errors, ct);
        if (!errors.IsValid) return new Outcome<LdapSettingsDto>.Invalid(errors.ToDictionary());

        var before = stored is null ? null : ToDto(stored);
        if (stored is null) db.LdapSettings.Add(settings);
        var changes = LdapSettingsChanges.Between(before, ToDto(settings), passwordChanged: body.BindPassword.IsSet);
        if (changes.Count > 0)
        {
            audit.Add(AuditActions.LdapSettingsChanged, ctx.RequiredTenantId, "tenant", ctx.RequiredTenantId.ToString(), changes);
            await db.SaveChangesAsync(ct);
        }
        return ToDto(settings);
    }

    public async Task<Outcome<bool>> DeleteAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<bool>.Forbidden("Only administrators can change the LDAP settings.");
        if (await db.LdapSettings.SingleOrDefaultAsync(ct) is not { } stored) return new Outcome<bool>.NotFound();
        db.LdapSettings.Remove(stored);
        audit.Add(AuditActions.LdapSettingsRemoved, ctx.RequiredTenantId, "tenant", ctx.RequiredTenantId.ToString(), new { host = stored.Host });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Reaches the saved directory as sign-in would: TLS, the service account's bind, the search base.</summary>
    public async Task<Outcome<LdapTestResult>> TestAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<LdapTestResult>.Forbidden("Only administrators can test the LDAP settings.");
        if (await db.LdapSettings.AsNoTracking().SingleOrDefaultAsync(ct) is not { } stored) return new Outcome<LdapTestResult>.NotFound();
        var problem = await directory.TestAsync(TargetOf(stored), ct);
        return new LdapTestResult(problem is null, problem);
    }

    /// <summary>The directory as sign-in reaches it, the service password decrypted.</summary>
    public LdapTarget TargetOf(TenantLdapSettings s) => new(
        s.Host, s.Port, s.Security, s.CaCertificate, s.UserDnTemplate, s.SearchBase, s.SearchFilter, s.BindDn,
        s.BindPasswordProtected is { } secret ? _protector.Unprotect(secret) : null, s.GroupSource, s.GroupSearchBase);

    private async Task<TenantLdapSettings> ValidateAsync(LdapSettingsWrite body, TenantLdapSettings? stored, ValidationErrors errors, CancellationToken ct)
    {
        var security = body.Security.OneOf("security", LdapSecurity.All, errors).Value ?? LdapSecurity.Ldaps;
        var groupSource = body.GroupSource.OneOf("groupSource", LdapGroupSource.All, errors).Value ?? LdapGroupSource.None;
        var defaultRole = body.DefaultRole.OneOf("defaultRole", TenantRoles.MembershipRoles, errors).Value ?? "agent";
        var host = body.Host.Value;
        errors.Required("host", host, "Host", 253);
        if (host is not null && !errors.Has("host"))
        {
            if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown) errors.Add("host", "Give a host name or address, without ldap:// or a port.");
            else if (await directory.HostProblemAsync(host, ct) is { } problem) errors.Add("host", problem);
        }
        var port = body.Port.Value ?? (security == LdapSecurity.Ldaps ? 636 : 389);
        if (port is < 1 or > 65535) errors.Add("port", "Port must be 1 to 65535.");

        var ca = body.CaCertificate.Value;
        if (ca is not null && !IsPemCertificate(ca)) errors.Add("caCertificate", "Paste the CA certificate in PEM form (-----BEGIN CERTIFICATE----- …).");

        var template = body.UserDnTemplate.Value;
        var searchBase = body.SearchBase.Value;
        var filter = body.SearchFilter.Value;
        foreach (var (name, value) in new[] { ("userDnTemplate", template), ("searchBase", searchBase), ("searchFilter", filter), ("bindDn", body.BindDn.Value), ("groupSearchBase", body.GroupSearchBase.Value) })
            errors.MaxLength(name, value, name, MaxText);
        if ((template is null) == (searchBase is null))
            errors.Add("userDnTemplate", "Give either a user DN template or a search base with a filter, not both.");
        if (template is not null && !HasPlaceholder(template))
            errors.Add("userDnTemplate", "The template must contain {username} or {email}, e.g. uid={username},ou=people,dc=example,dc=com.");
        if (searchBase is not null && (filter is null || !HasPlaceholder(filter) || !filter.StartsWith('(') || !filter.EndsWith(')')))
            errors.Add("searchFilter", "Give a filter in parentheses with {email} or {username}, e.g. (mail={email}) or (sAMAccountName={username}).");
        if (groupSource == LdapGroupSource.GroupSearch && body.GroupSearchBase.Value is null)
            errors.Add("groupSearchBase", "Group search needs the base under which the groups are.");

        var groupRoles = body.GroupRoles.Value ?? [];
        for (var i = 0; i < groupRoles.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(groupRoles[i].Group)) errors.Add($"groupRoles[{i}].group", "Give the group's DN.");
            if (!TenantRoles.MembershipRoles.Contains(groupRoles[i].Role))
                errors.Add($"groupRoles[{i}].role", $"Use one of: {string.Join(", ", TenantRoles.MembershipRoles)}.");
        }
        if (groupRoles.Count > 0 && groupSource == LdapGroupSource.None)
            errors.Add("groupSource", "Group → role mappings need a group source (member-of or group-search).");

        var breakGlass = body.BreakGlassUserId.Value;
        if (breakGlass is { } userId && !await db.Memberships.AnyAsync(m => m.UserId == userId && m.IsActive && m.Role == "admin", ct))
            errors.Add("breakGlassUserId", "The break-glass account must be an active administrator of this workspace.");

        var settings = stored ?? new TenantLdapSettings
        {
            Host = "", Security = security, GroupSource = groupSource, GroupRoles = JsonDocument.Parse("[]"), DefaultRole = defaultRole,
        };
        if (!errors.IsValid) return settings;
        settings.IsEnabled = body.Enabled.Value ?? false;
        settings.Host = host!;
        settings.Port = port;
        settings.Security = security;
        settings.CaCertificate = ca;
        settings.UserDnTemplate = template;
        settings.SearchBase = searchBase;
        settings.SearchFilter = searchBase is null ? null : filter;
        settings.BindDn = body.BindDn.Value;
        if (body.BindPassword.IsSet) settings.BindPasswordProtected = body.BindPassword.Value is { } password ? _protector.Protect(password) : null;
        settings.GroupSource = groupSource;
        settings.GroupSearchBase = body.GroupSearchBase.Value;
        settings.GroupRoles = JsonSerializer.SerializeToDocument(groupRoles.Select(g => new LdapGroupRole(g.Group.Trim(), g.Role)).ToList(), JsonSerializerOptions.Web);
        settings.JitProvisioning = body.JitProvisioning.Value ?? false;
        settings.DefaultRole = defaultRole;
        settings.BreakGlassUserId = breakGlass;
        return settings;
    }

    private static bool HasPlaceholder(string template) => template.Contains("{email}", StringComparison.Ordinal) || template.Contains("{username}", StringComparison.Ordinal);

    private static bool IsPemCertificate(string pem)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(pem);
            return certificates.Count > 0;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    public static IReadOnlyList<LdapGroupRole> GroupRolesOf(TenantLdapSettings s) =>
        s.GroupRoles.Deserialize<List<LdapGroupRole>>(JsonSerializerOptions.Web) ?? [];

    private static LdapSettingsDto ToDto(TenantLdapSettings s) => new(
        s.IsEnabled, s.Host, s.Port, s.Security, s.CaCertificate, s.UserDnTemplate, s.SearchBase, s.SearchFilter, s.BindDn,
        s.BindPasswordProtected is not null, s.GroupSource, s.GroupSearchBase, GroupRolesOf(s), s.JitProvisioning, s.DefaultRole,
        s.BreakGlassUserId, s.UpdatedAt);
}
