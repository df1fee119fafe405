using Switchboard.Platform.Identity.TwoFactor;
using Switchboard.Platform.Protection;

namespace Switchboard.Features.Security;

/// <summary>The answer of GET /api/v1/tenants/current/security: the tenant's security policy (ADR 0042).</summary>
public sealed record SecuritySettingsDto(
    int PasswordMinLength, int PasswordHistory, int? PasswordMaxAgeDays, int? SessionIdleMinutes, int? SessionMaxHours, string Mfa, int MfaGraceDays,
    IReadOnlyList<string> IpAllowlist)
{
    // Records compare lists by reference; the audit diff compares what they hold.
    public bool Equals(SecuritySettingsDto? other) => other is not null && PasswordMinLength == other.PasswordMinLength
        && PasswordHistory == other.PasswordHistory && PasswordMaxAgeDays == other.PasswordMaxAgeDays
        && SessionIdleMinutes == other.SessionIdleMinutes && SessionMaxHours == other.SessionMaxHours
        && Mfa == other.Mfa && MfaGraceDays == other.MfaGraceDays && IpAllowlist.SequenceEqual(other.IpAllowlist);

    public override int GetHashCode() => HashCode.Combine(PasswordMinLength, PasswordHistory, PasswordMaxAgeDays, SessionIdleMinutes, SessionMaxHours, Mfa, MfaGraceDays, IpAllowlist.Count);
}

/// <summary>The body of PATCH /api/v1/tenants/current/security (merge patch: absent = unchanged, null = off).</summary>
public sealed record SecuritySettingsWrite : RequestBody
{
    /// <summary>12 to 64 characters.</summary>
    public Optional<int?> PasswordMinLength { get; init; }
    /// <summary>How many of a user's last passwords they may not choose again: 0 to 24.</summary>
    public Optional<int?> PasswordHistory { get; init; }
    /// <summary>Days after which a password must be changed at sign-in, 30 to 730; null: never.</summary>
    public Optional<int?> PasswordMaxAgeDays { get; init; }
    /// <summary>Minutes without a request after which a session ends, 5 to 10,080; null: only the lifetime ends it.</summary>
    public Optional<int?> SessionIdleMinutes { get; init; }
    /// <summary>Hours after sign-in at which a session ends however active, 1 to 720; null: 30 days.</summary>
    public Optional<int?> SessionMaxHours { get; init; }
    /// <summary>Who must use two-factor sign-in: "off", "admins" (admins and managers) or "everyone" (ADR 0045).</summary>
    public Optional<string?> Mfa { get; init; }
    /// <summary>Days a member may still sign in without a second factor once the requirement applies to them: 0 to 90.</summary>
    public Optional<int?> MfaGraceDays { get; init; }
    /// <summary>
    /// CIDR blocks (IPv4 or IPv6; a bare address is a block of one) the tenant's members may use Switchboard from, its
    /// pages and its API; empty or null: anywhere (ADR 0046). A list that leaves out the address of the admin saving it is refused.
    /// </summary>
    public Optional<IReadOnlyList<string>?> IpAllowlist { get; init; }
}

/// <summary>
/// A tenant's security policy: the password rules its members' passwords must meet and how long their sessions last.
/// Admins read and change it; every change is audited with the old and new values.
/// </summary>
[Scoped]
public sealed class SecuritySettings(SwitchboardDbContext db, TenantContext ctx, AuditLog audit, TimeProvider clock, TenantAllowlist allowlist)
{
    public static readonly (int Min, int Max) MinLengthRange = (PasswordRules.DefaultMinLength, 64);
    public static readonly (int Min, int Max) HistoryRange = (0, 24);
    public static readonly (int Min, int Max) MaxAgeRange = (30, 730);
    public static readonly (int Min, int Max) IdleRange = (5, 10_080);
    public static readonly (int Min, int Max) LifetimeRange = (1, 720);

    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    public async Task<Outcome<SecuritySettingsDto>> GetAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<SecuritySettingsDto>.Forbidden("Only administrators can see the security settings.");
        var tenantId = ctx.RequiredTenantId;
        return ToDto(await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId, ct));
    }

    public async Task<Outcome<SecuritySettingsDto>> UpdateAsync(SecuritySettingsWrite patch, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<SecuritySettingsDto>.Forbidden("Only administrators can change the security settings.");
        var errors = patch.BindingErrors();
        Check(errors, patch.PasswordMinLength, "passwordMinLength", MinLengthRange, "Minimum password length must be {0} to {1} characters.", required: true);
        Check(errors, patch.PasswordHistory, "passwordHistory", HistoryRange, "Password history must be {0} to {1} passwords.", required: true);
        Check(errors, patch.PasswordMaxAgeDays, "passwordMaxAgeDays", MaxAgeRange, "Maximum password age must be {0} to {1} days, or empty for none.");
        Check(errors, patch.SessionIdleMinutes, "sessionIdleMinutes", IdleRange, "Idle timeout must be {0} to {1:N0} minutes, or empty for none.");
        Check(errors, patch.SessionMaxHours, "sessionMaxHours", LifetimeRange, "Session lifetime must be {0} to {1} hours, or empty for 30 days.");
        Check(errors, patch.MfaGraceDays, "mfaGraceDays", MfaRequirements.GraceRange, "The grace period must be {0} to {1} days.", required: true);
        if (patch.Mfa is { IsSet: true, Error: null } && !MfaRequirements.All.Contains(patch.Mfa.Value ?? ""))
            errors.Add("mfa", "Two-factor sign-in must be required of nobody (off), of admins and managers (admins), or of everyone (everyone).");
        var ipAllowlist = allowlist.Validate(patch.IpAllowlist, errors);
        if (!errors.IsValid) return new Outcome<SecuritySettingsDto>.Invalid(errors.ToDictionary());

        var tenantId = ctx.RequiredTenantId;
        var tenant = await db.Tenants.SingleAsync(t => t.Id == tenantId, ct);
        var before = ToDto(tenant);
        if (patch.PasswordMinLength.IsSet) tenant.PasswordMinLength = patch.PasswordMinLength.Value!.Value;
        if (patch.PasswordHistory.IsSet) tenant.PasswordHistory = patch.PasswordHistory.Value!.Value;
        if (patch.PasswordMaxAgeDays.IsSet) tenant.PasswordMaxAgeDays = patch.PasswordMaxAgeDays.Value;
        if (patch.SessionIdleMinutes.IsSet) tenant.SessionIdleMinutes = patch.SessionIdleMinutes.Value;
        if (patch.SessionMaxHours.IsSet) tenant.SessionMaxHours = patch.SessionMaxHours.Value;
        if (patch.Mfa.IsSet) tenant.MfaRequirement = patch.Mfa.Value!;
        if (patch.MfaGraceDays.IsSet) tenant.MfaGraceDays = patch.MfaGraceDays.Value!.Value;
        if (patch.IpAllowlist.IsSet) tenant.IpAllowlist = ipAllowlist;
        var after = ToDto(tenant);
        if (after != before)
        {
            if (after.Mfa != before.Mfa) await StampMfaRequirementAsync(tenantId, after.Mfa, ct);
            audit.Add(AuditActions.SecuritySettingsChanged, tenantId, "tenant", tenantId.ToString(), Changes(before, after));
            tenant.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            allowlist.Changed(tenantId);
        }
        return after;
    }

    /// <summary>
    /// The grace period of each member counts from when the requirement first applied to them: members it covers now
    /// and had not covered start counting now; members it no longer covers lose their date (a later requirement gives
    /// them a new grace period).
    /// </summary>
    private async Task StampMfaRequirementAsync(Guid tenantId, string requirement, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var roles = MfaRequirements.Roles(requirement);
        var members = db.Memberships.Where(m => m.TenantId == tenantId);
        await members.Where(m => roles.Contains(m.Role) && m.MfaRequiredSince == null).ExecuteUpdateAsync(u => u.SetProperty(m => m.MfaRequiredSince, now), ct);
        await members.Where(m => !roles.Contains(m.Role) && m.MfaRequiredSince != null).ExecuteUpdateAsync(u => u.SetProperty(m => m.MfaRequiredSince, (DateTimeOffset?)null), ct);
    }

    private static void Check(ValidationErrors errors, Optional<int?> member, string name, (int Min, int Max) range, string message, bool required = false)
    {
        if (!member.IsSet || member.Error is not null) return;
        if (member.Value is { } value ? value < range.Min || value > range.Max : required)
            errors.Add(name, string.Format(System.Globalization.CultureInfo.InvariantCulture, message, range.Min, range.Max));
    }

    /// <summary>In the shape of a record change, so the audit viewer shows each as "Session idle minutes 30 → 60".</summary>
    private static Dictionary<string, object> Changes(SecuritySettingsDto before, SecuritySettingsDto after)
    {
        var changes = new Dictionary<string, object>();
        void Add(string name, int? old, int? @new)
        {
            if (old != @new) changes[name] = new { old, @new };
        }
        Add("passwordMinLength", before.PasswordMinLength, after.PasswordMinLength);
        Add("passwordHistory", before.PasswordHistory, after.PasswordHistory);
        Add("passwordMaxAgeDays", before.PasswordMaxAgeDays, after.PasswordMaxAgeDays);
        Add("sessionIdleMinutes", before.SessionIdleMinutes, after.SessionIdleMinutes);
        Add("sessionMaxHours", before.SessionMaxHours, after.SessionMaxHours);
        Add("mfaGraceDays", before.MfaGraceDays, after.MfaGraceDays);
        if (before.Mfa != after.Mfa) changes["mfa"] = new { old = before.Mfa, @new = after.Mfa };
        if (!before.IpAllowlist.SequenceEqual(after.IpAllowlist)) changes["ipAllowlist"] = new { old = before.IpAllowlist, @new = after.IpAllowlist };
        return changes;
    }

    private static SecuritySettingsDto ToDto(Tenant t) =>
        new(t.PasswordMinLength, t.PasswordHistory, t.PasswordMaxAgeDays, t.SessionIdleMinutes, t.SessionMaxHours, t.MfaRequirement, t.MfaGraceDays, t.IpAllowlist ?? []);
}
