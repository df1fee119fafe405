using System.Text.RegularExpressions;

namespace Switchboard.Features.Sso;

/// <summary>
/// The answer of GET /api/v1/tenants/current/sso. The client secret is never returned: <see cref="ClientSecret"/> says
/// only "set" or "not set". <see cref="RedirectUri"/> is the address to register at the provider.
/// </summary>
public sealed record SsoSettingsDto(
    bool Configured, bool Enabled, string? Issuer, string? ClientId, string ClientSecret, IReadOnlyList<string> AllowedDomains,
    bool JitProvisioning, string DefaultRole, string? GroupClaim, IReadOnlyDictionary<string, string> GroupRoles,
    bool SsoRequired, Guid? BreakGlassUserId, string RedirectUri, DateTimeOffset? UpdatedAt);

/// <summary>The body of PUT /api/v1/tenants/current/sso: merged into the stored configuration (absent = unchanged, null = cleared).</summary>
public sealed record SsoSettingsWrite : RequestBody
{
    /// <summary>Whether "Sign in with SSO" works for this tenant (default true).</summary>
    public Optional<bool?> Enabled { get; init; }
    /// <summary>The provider's issuer URL (https; its /.well-known/openid-configuration is read).</summary>
    public Optional<string?> Issuer { get; init; }
    public Optional<string?> ClientId { get; init; }
    /// <summary>Write-only: replaces the stored secret; null removes it (a public client). Never returned.</summary>
    public Optional<string?> ClientSecret { get; init; }
    /// <summary>Email domains the provider may sign in (example.com); at least one.</summary>
    public Optional<string[]?> AllowedDomains { get; init; }
    /// <summary>Create an account and membership for a person the provider vouches for who has no Switchboard account.</summary>
    public Optional<bool?> JitProvisioning { get; init; }
    /// <summary>The role of a member created just in time when no group maps to one: admin, manager, agent or readonly.</summary>
    public Optional<string?> DefaultRole { get; init; }
    /// <summary>The ID token claim that lists the person's groups (e.g. groups).</summary>
    public Optional<string?> GroupClaim { get; init; }
    /// <summary>Group value → role; the highest role among the person's mapped groups is set at every SSO sign-in.</summary>
    public Optional<Dictionary<string, string>?> GroupRoles { get; init; }
    /// <summary>Refuse password sign-in for members, except the break-glass administrator.</summary>
    public Optional<bool?> SsoRequired { get; init; }
    /// <summary>An active administrator who may still sign in with a password when SSO is required.</summary>
    public Optional<Guid?> BreakGlassUserId { get; init; }
}

/// <summary>What "test connection" found at the provider.</summary>
public sealed record SsoConnectionTest(bool Ok, string? Issuer, string? AuthorizationEndpoint, string? TokenEndpoint, int SigningKeys, string? Error);

/// <summary>
/// A tenant's single sign-on configuration (ADR 0047), for its administrators: read, merged, removed and tested. The
/// client secret is sealed with Data Protection and never returned; the issuer goes through the private-network guard
/// when saved (and again on every connection, <see cref="OidcClient"/>). Every change is audited without the secret.
/// </summary>
[Scoped]
public sealed partial class SsoSettings(SwitchboardDbContext db, TenantContext ctx, AuditLog audit, SsoSecrets secrets, PrivateNetworkGuard guard, OidcClient oidc)
{
    public const string DefaultRoleName = "agent";

    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    public string RedirectUri => oidc.RedirectUri;

    public async Task<Outcome<SsoSettingsDto>> GetAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<SsoSettingsDto>.Forbidden("Only administrators can see the single sign-on settings.");
        var tenant = await CurrentTenantAsync(ct);
        return ToDto(await db.SsoConfigurations.AsNoTracking().SingleOrDefaultAsync(ct), tenant);
    }

    public async Task<Outcome<SsoSettingsDto>> PutAsync(SsoSettingsWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<SsoSettingsDto>.Forbidden("Only administrators can change the single sign-on settings.");
        var errors = body.BindingErrors();
        var stored = await db.SsoConfigurations.SingleOrDefaultAsync(ct);
        var tenant = await db.Tenants.SingleAsync(t => t.Id == ctx.RequiredTenantId, ct);
        var before = ToDto(stored, tenant);

        var issuer = body.Issuer.IsSet ? body.Issuer.Value : stored?.Issuer;
        var clientId = body.ClientId.IsSet ? body.ClientId.Value : stored?.ClientId;
        var domains = body.AllowedDomains.IsSet ? Domains(body.AllowedDomains.Value, errors) : stored?.AllowedDomains;
        var defaultRole = body.DefaultRole.OneOf("defaultRole", TenantRoles.MembershipRoles, errors) is { IsSet: true } role ? role.Value : stored?.DefaultRole;
        var groupClaim = body.GroupClaim.IsSet ? body.GroupClaim.Value : stored?.GroupClaim;
        var groupRoles = body.GroupRoles.IsSet ? GroupRoles(body.GroupRoles.Value, errors) : stored?.GroupRoleMap() ?? new Dictionary<string, string>();
        var enabled = body.Enabled.IsSet ? body.Enabled.Value : stored?.Enabled ?? true;
        var required = body.SsoRequired.IsSet ? body.SsoRequired.Value : tenant.SsoRequired;
        var breakGlass = body.BreakGlassUserId.IsSet ? body.BreakGlassUserId.Value : tenant.SsoBreakGlassUserId;

        if (!errors.Has("issuer")) await CheckIssuerAsync(issuer, errors, ct);
        if (!errors.Has("clientId")) errors.Required("clientId", clientId, "Client ID", 200);
        if (body.ClientSecret.Value is { } secret) errors.MaxLength("clientSecret", secret, "Client secret", 1000);
        if (domains is not { Length: > 0 } && !errors.Has("allowedDomains")) errors.Add("allowedDomains", "List at least one email domain the provider may sign in (example.com).");
        if (body.DefaultRole.IsSet && body.DefaultRole.Value is null && !errors.Has("defaultRole")) errors.Add("defaultRole", $"Default role is required: one of {string.Join(", ", TenantRoles.MembershipRoles)}.");
        errors.MaxLength("groupClaim", groupClaim, "Group claim", 100);
        if (groupRoles.Count > 0 && groupClaim is null && !errors.Has("groupRoles"))
            errors.Add("groupClaim", "Name the ID token claim that carries the groups (e.g. groups) to map groups to roles.");
        if (enabled is null) errors.Add("enabled", "Enabled must be true or false.");
        if (required is null) errors.Add("ssoRequired", "SSO required must be true or false.");
        if (breakGlass is { } glass && !errors.Has("breakGlassUserId") && !await IsActiveAdminAsync(glass, ct))
            errors.Add("breakGlassUserId", "The break-glass administrator must be an active administrator of this workspace.");
        if (required == true && enabled != true) errors.Add("ssoRequired", "SSO can be required only while single sign-on is enabled.");
        if (required == true && breakGlass is null && !errors.Has("breakGlassUserId"))
            errors.Add("breakGlassUserId", "Choose a break-glass administrator before requiring SSO: the one person who can still sign in with a password if the provider is down.");
        if (!errors.IsValid) return new Outcome<SsoSettingsDto>.Invalid(errors.ToDictionary());

        if (stored is null)
        {
            stored = new SsoConfiguration { Issuer = issuer!, ClientId = clientId!, AllowedDomains = domains!, DefaultRole = DefaultRoleName, GroupRoles = JsonDocument.Parse("{}") };
            db.SsoConfigurations.Add(stored);
        }
        else if (stored.Issuer != issuer) oidc.Forget(stored.Issuer);
        stored.Enabled = enabled!.Value;
        stored.Issuer = issuer!;
        stored.ClientId = clientId!;
        stored.AllowedDomains = domains!;
        stored.DefaultRole = defaultRole ?? DefaultRoleName;
        stored.JitProvisioning = body.JitProvisioning.IsSet ? body.JitProvisioning.Value == true : stored.JitProvisioning;
        stored.GroupClaim = groupClaim;
        stored.GroupRoles = JsonSerializer.SerializeToDocument(groupRoles);
        if (body.ClientSecret.IsSet) stored.ClientSecret = body.ClientSecret.Value is { } plain ? secrets.Seal(plain) : null;
        tenant.SsoRequired = required!.Value;
        tenant.SsoBreakGlassUserId = breakGlass;

        var after = ToDto(stored, tenant);
        var changes = Changes(before, after);
        if (body.ClientSecret.IsSet) changes["clientSecret"] = new { old = before.ClientSecret, @new = body.ClientSecret.Value is null ? "removed" : "replaced" };
        if (changes.Count > 0) audit.Add(AuditActions.SsoSettingsChanged, tenant.Id, "tenant", tenant.Id.ToString(), changes);
        await db.SaveChangesAsync(ct);
        return after;
    }

    /// <summary>Removes the configuration: SSO is off and password sign-in works again for everyone.</summary>
    public async Task<Outcome<bool>> DeleteAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<bool>.Forbidden("Only administrators can change the single sign-on settings.");
        var stored = await db.SsoConfigurations.SingleOrDefaultAsync(ct);
        if (stored is null) return new Outcome<bool>.NotFound();
        var tenant = await db.Tenants.SingleAsync(t => t.Id == ctx.RequiredTenantId, ct);
        db.SsoConfigurations.Remove(stored);
        tenant.SsoRequired = false;
        tenant.SsoBreakGlassUserId = null;
        oidc.Forget(stored.Issuer);
        audit.Add(AuditActions.SsoSettingsRemoved, tenant.Id, "tenant", tenant.Id.ToString(), new { stored.Issuer, stored.ClientId });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Fetches the saved issuer's discovery document and signing keys afresh and says what was found.</summary>
    public async Task<Outcome<SsoConnectionTest>> TestAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<SsoConnectionTest>.Forbidden("Only administrators can test the single sign-on settings.");
        var stored = await db.SsoConfigurations.AsNoTracking().SingleOrDefaultAsync(ct);
        if (stored is null) return new Outcome<SsoConnectionTest>.NotFound();
        oidc.Forget(stored.Issuer);
        try
        {
            var provider = await oidc.DiscoverAsync(stored.Issuer, ct);
            return new SsoConnectionTest(true, provider.Issuer, provider.AuthorizationEndpoint, provider.TokenEndpoint, provider.SigningKeys.Count, null);
        }
        catch (OidcException e)
        {
            return new SsoConnectionTest(false, stored.Issuer, null, null, 0, e.Message);
        }
    }

    /// <summary>The tenant's active administrators, for the break-glass choice.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name, string Email)>> AdministratorsAsync(CancellationToken ct) =>
        (await (from m in db.Memberships
                join u in db.Users on m.UserId equals u.Id
                where m.IsActive && u.IsActive && m.Role == "admin"
                orderby u.FirstName, u.LastName
                select new { u.Id, u.FirstName, u.LastName, u.Email }).ToListAsync(ct))
        .Select(a => (a.Id, $"{a.FirstName} {a.LastName}".Trim(), a.Email ?? "")).ToList();

    private async Task CheckIssuerAsync(string? issuer, ValidationErrors errors, CancellationToken ct)
    {
        errors.Required("issuer", issuer, "Issuer URL", 500);
        if (errors.Has("issuer")) return;
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            errors.Add("issuer", $"'{issuer}' is not an issuer URL such as https://login.example.com/realm (no query or fragment).");
        else if (await guard.ProblemAsync(issuer!, ct) is { } problem) errors.Add("issuer", problem);
    }

    private async Task<bool> IsActiveAdminAsync(Guid userId, CancellationToken ct) =>
        await (from m in db.Memberships join u in db.Users on m.UserId equals u.Id
               where m.UserId == userId && m.IsActive && u.IsActive && m.Role == "admin" select m).AnyAsync(ct);

    private static string[]? Domains(string[]? values, ValidationErrors errors)
    {
        var domains = (values ?? []).Select(d => d.Trim().TrimStart('@').ToLowerInvariant()).Where(d => d.Length > 0).Distinct().ToArray();
        if (domains.Length > 50) errors.Add("allowedDomains", "At most 50 domains.");
        foreach (var domain in domains.Where(d => !DomainName().IsMatch(d)))
            errors.Add("allowedDomains", $"'{domain}' is not an email domain such as example.com.");
        return domains;
    }

    private static Dictionary<string, string> GroupRoles(Dictionary<string, string>? values, ValidationErrors errors)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (values is null) return map;
        if (values.Count > 100) errors.Add("groupRoles", "At most 100 group mappings.");
        foreach (var (group, role) in values)
        {
            if (string.IsNullOrWhiteSpace(group) || group.Length > 200) errors.Add("groupRoles", "A group must be 1 to 200 characters.");
            else if (role is null || !TenantRoles.MembershipRoles.Contains(role))
                errors.Add("groupRoles", $"The role of group '{group}' must be one of: {string.Join(", ", TenantRoles.MembershipRoles)}.");
            else map[group.Trim()] = role;
        }
        return map;
    }

    private async Task<Tenant> CurrentTenantAsync(CancellationToken ct)
    {
        var tenantId = ctx.RequiredTenantId;
        return await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId, ct);
    }

    private SsoSettingsDto ToDto(SsoConfiguration? c, Tenant t) => c is null
        ? new SsoSettingsDto(false, false, null, null, "not set", [], false, DefaultRoleName, null, new Dictionary<string, string>(), t.SsoRequired, t.SsoBreakGlassUserId, RedirectUri, null)
        : new SsoSettingsDto(true, c.Enabled, c.Issuer, c.ClientId, c.ClientSecret is null ? "not set" : "set", c.AllowedDomains, c.JitProvisioning, c.DefaultRole,
            c.GroupClaim, c.GroupRoleMap(), t.SsoRequired, t.SsoBreakGlassUserId, RedirectUri, c.UpdatedAt);

    /// <summary>In the shape of a record change ("Issuer a → b"); the secret never appears (the caller adds whether it changed).</summary>
    private static Dictionary<string, object> Changes(SsoSettingsDto before, SsoSettingsDto after)
    {
        var changes = new Dictionary<string, object>();
        void Add(string name, object? old, object? @new, bool same)
        {
            if (!same) changes[name] = new { old, @new };
        }
        Add("enabled", before.Enabled, after.Enabled, before.Enabled == after.Enabled);
        Add("issuer", before.Issuer, after.Issuer, before.Issuer == after.Issuer);
        Add("clientId", before.ClientId, after.ClientId, before.ClientId == after.ClientId);
        Add("allowedDomains", before.AllowedDomains, after.AllowedDomains, before.AllowedDomains.SequenceEqual(after.AllowedDomains));
        Add("jitProvisioning", before.JitProvisioning, after.JitProvisioning, before.JitProvisioning == after.JitProvisioning);
        Add("defaultRole", before.DefaultRole, after.DefaultRole, before.DefaultRole == after.DefaultRole);
        Add("groupClaim", before.GroupClaim, after.GroupClaim, before.GroupClaim == after.GroupClaim);
        Add("groupRoles", before.GroupRoles, after.GroupRoles, before.GroupRoles.OrderBy(p => p.Key).SequenceEqual(after.GroupRoles.OrderBy(p => p.Key)));
        Add("ssoRequired", before.SsoRequired, after.SsoRequired, before.SsoRequired == after.SsoRequired);
        Add("breakGlassUserId", before.BreakGlassUserId, after.BreakGlassUserId, before.BreakGlassUserId == after.BreakGlassUserId);
        return changes;
    }

    [GeneratedRegex(@"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$")]
    private static partial Regex DomainName();
}
