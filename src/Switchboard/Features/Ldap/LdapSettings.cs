using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Ldap;

/// <summary>
/// A tenant's LDAP / Active Directory sign-in (ADR 0048): where the directory is, how a member's entry is found, which
/// groups give which role, and whether unknown directory users are provisioned at their first sign-in.
/// </summary>
public sealed class TenantLdapSettings : ITenantOwned, IUpdateStamped
{
    public Guid TenantId { get; set; }
    public bool IsEnabled { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public required string Security { get; set; }
    /// <summary>PEM of the CA the server's certificate must chain to; null: the machine's trusted roots.</summary>
    public string? CaCertificate { get; set; }
    /// <summary>A DN with {username} or {email}, e.g. uid={username},ou=people,dc=example,dc=com (exclusive with a search).</summary>
    public string? UserDnTemplate { get; set; }
    public string? SearchBase { get; set; }
    public string? SearchFilter { get; set; }
    public string? BindDn { get; set; }
    public string? BindPasswordProtected { get; set; }
    public required string GroupSource { get; set; }
    public string? GroupSearchBase { get; set; }
    public required JsonDocument GroupRoles { get; set; }
    public bool JitProvisioning { get; set; }
    public required string DefaultRole { get; set; }
    public Guid? BreakGlassUserId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class TenantLdapSettingsConfiguration : IEntityTypeConfiguration<TenantLdapSettings>
{
    public void Configure(EntityTypeBuilder<TenantLdapSettings> e)
    {
        e.ToTable("tenant_ldap_settings").HasKey(s => s.TenantId);
        e.Property(s => s.TenantId).ValueGeneratedNever();
    }
}

public static class LdapData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<TenantLdapSettings> LdapSettings => db.Set<TenantLdapSettings>();
    }
}

public static class LdapSecurity
{
    public const string Ldaps = "ldaps";
    public const string StartTls = "starttls";
    public static readonly IReadOnlyList<string> All = [Ldaps, StartTls];
}

public static class LdapGroupSource
{
    public const string None = "none";
    public const string MemberOf = "member-of";
    public const string GroupSearch = "group-search";
    public static readonly IReadOnlyList<string> All = [None, MemberOf, GroupSearch];
}

/// <summary>Members of <see cref="Group"/> (a group's DN) get <see cref="Role"/>; the highest role among a person's groups wins.</summary>
public sealed record LdapGroupRole(string Group, string Role);

/// <summary>
/// The answer of GET /api/v1/tenants/current/ldap. The service account's password is never shown: only whether one is set.
/// </summary>
public sealed record LdapSettingsDto(
    bool Enabled, string Host, int Port, string Security, string? CaCertificate, string? UserDnTemplate, string? SearchBase,
    string? SearchFilter, string? BindDn, bool BindPasswordSet, string GroupSource, string? GroupSearchBase,
    IReadOnlyList<LdapGroupRole> GroupRoles, bool JitProvisioning, string DefaultRole, Guid? BreakGlassUserId, DateTimeOffset UpdatedAt);

/// <summary>
/// The body of PUT /api/v1/tenants/current/ldap: the whole configuration. <c>bindPassword</c> absent keeps the stored
/// one, null removes it.
/// </summary>
public sealed record LdapSettingsWrite : RequestBody
{
    /// <summary>true: members sign in with their directory password. Default false.</summary>
    public Optional<bool?> Enabled { get; init; }
    /// <summary>The directory server's host name or address (no scheme).</summary>
    public Optional<string?> Host { get; init; }
    /// <summary>Default 636 for ldaps, 389 for starttls.</summary>
    public Optional<int?> Port { get; init; }
    /// <summary>ldaps or starttls: plaintext binds are not offered.</summary>
    public Optional<string?> Security { get; init; }
    /// <summary>PEM of a private CA that signed the server's certificate; absent or null: the machine's trusted roots.</summary>
    public Optional<string?> CaCertificate { get; init; }
    /// <summary>A DN with {username} or {email}, e.g. uid={username},ou=people,dc=example,dc=com; or use searchBase + searchFilter.</summary>
    public Optional<string?> UserDnTemplate { get; init; }
    /// <summary>Where to search for the person's entry, e.g. dc=example,dc=com.</summary>
    public Optional<string?> SearchBase { get; init; }
    /// <summary>An LDAP filter with {email} or {username}, e.g. (mail={email}) or (sAMAccountName={username}).</summary>
    public Optional<string?> SearchFilter { get; init; }
    /// <summary>The service account that searches; absent or null: an anonymous search.</summary>
    public Optional<string?> BindDn { get; init; }
    /// <summary>The service account's password: stored encrypted, never returned. Absent: unchanged; null: removed.</summary>
    public Optional<string?> BindPassword { get; init; }
    /// <summary>none, member-of (the entry's memberOf attribute) or group-search (groups whose member is the entry).</summary>
    public Optional<string?> GroupSource { get; init; }
    /// <summary>Where group-search looks for groups.</summary>
    public Optional<string?> GroupSearchBase { get; init; }
    /// <summary>Group DN → role (admin, manager, agent, readonly). When any is set, the directory decides the role at every sign-in.</summary>
    public Optional<IReadOnlyList<LdapGroupRole>?> GroupRoles { get; init; }
    /// <summary>Create an account and membership at the first sign-in of a directory user (the sign-in must name the workspace).</summary>
    public Optional<bool?> JitProvisioning { get; init; }
    /// <summary>The role of provisioned people, and of members in no mapped group. Default agent.</summary>
    public Optional<string?> DefaultRole { get; init; }
    /// <summary>An active administrator of the workspace who keeps signing in with the local password (break-glass).</summary>
    public Optional<Guid?> BreakGlassUserId { get; init; }
}
