using TwoFactor = Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Platform.Tenancy;

public sealed class Tenant
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public bool IsActive { get; set; } = true;
    public required string TimeZone { get; set; }
    public required string Currency { get; set; }
    public required string DateFormat { get; set; }
    public required string DefaultCountry { get; set; }

    /// <summary>The logo at the head of the tenant's emails: an https URL the mail client loads (the server never fetches it).</summary>
    public string? LogoUrl { get; set; }

    /// <summary>Days the tenant's audit rows are kept (at least a year); null keeps them for ever (ADR 0038).</summary>
    public int? AuditRetentionDays { get; set; }

    // The tenant's security policy (ADR 0042); admins change it through TenantSecuritySettings.
    public int PasswordMinLength { get; set; } = PasswordRules.DefaultMinLength;
    public int PasswordHistory { get; set; } = PasswordRules.DefaultHistory;
    public int? PasswordMaxAgeDays { get; set; }
    public int? SessionIdleMinutes { get; set; }
    public int? SessionMaxHours { get; set; }

    /// <summary>Who must have a second factor: <see cref="TwoFactor.MfaRequirements"/> (ADR 0045).</summary>
    public string MfaRequirement { get; set; } = TwoFactor.MfaRequirements.Off;

    /// <summary>Days a member may sign in without a second factor once the requirement applies to them (0 to 90).</summary>
    public int MfaGraceDays { get; set; } = TwoFactor.MfaRequirements.DefaultGraceDays;
    // IP allowlist (admins, security settings) and API limits (superadmins; null: the platform default), ADR 0046.
    public string[]? IpAllowlist { get; set; }
    public int? RateUserPerSecond { get; set; }
    public int? RateUserBurst { get; set; }
    public int? RateKeyPerSecond { get; set; }
    public int? RateKeyBurst { get; set; }
    public int? RateTenantPerSecond { get; set; }
    public int? RateTenantBurst { get; set; }

    // Single sign-on (ADR 0047): when required, members sign in through the tenant's identity provider only, except the
    // break-glass administrator, who keeps a password for the day the provider is down.
    public bool SsoRequired { get; set; }
    public Guid? SsoBreakGlassUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
