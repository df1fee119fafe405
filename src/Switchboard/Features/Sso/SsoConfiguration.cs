using Microsoft.AspNetCore.DataProtection;

namespace Switchboard.Features.Sso;

/// <summary>
/// A tenant's OpenID Connect provider (ADR 0047): where it is (issuer), who Switchboard is there (client id and secret,
/// the secret a Data Protection payload), whose addresses it may sign in, and how people it vouches for become members.
/// Not <see cref="IAudited"/>: its changes are audited by <see cref="SsoSettings"/>, which never writes the secret.
/// </summary>
public sealed class SsoConfiguration : ITenantOwned, IUpdateStamped
{
    public Guid TenantId { get; set; }
    public bool Enabled { get; set; }
    public required string Issuer { get; set; }
    public required string ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public required string[] AllowedDomains { get; set; }
    public bool JitProvisioning { get; set; }
    public required string DefaultRole { get; set; }
    public string? GroupClaim { get; set; }
    public required JsonDocument GroupRoles { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The group → role mapping as stored (group values compared as the provider sends them).</summary>
    public IReadOnlyDictionary<string, string> GroupRoleMap() =>
        GroupRoles.RootElement.ValueKind == JsonValueKind.Object
            ? GroupRoles.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? TenantRole.Readonly.ToName(), StringComparer.Ordinal)
            : new Dictionary<string, string>();
}

internal sealed class SsoConfigurationConfiguration : IEntityTypeConfiguration<SsoConfiguration>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<SsoConfiguration> e)
    {
        e.ToTable("sso_configurations").HasKey(c => c.TenantId);
        // The key is the tenant's id, stamped like any tenant row, never generated.
        e.Property(c => c.TenantId).ValueGeneratedNever();
    }
}

public static class SsoData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<SsoConfiguration> SsoConfigurations => db.Set<SsoConfiguration>();
    }
}

/// <summary>Seals and opens a provider's client secret with Data Protection (key ring in PostgreSQL, shared by every instance).</summary>
[Singleton]
public sealed class SsoSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Switchboard.Sso.ClientSecret.v1");

    public string Seal(string secret) => _protector.Protect(secret);

    public string? Open(string? payload) => payload is null ? null : _protector.Unprotect(payload);
}
