namespace Switchboard.Platform.Identity.TwoFactor;

/// <summary>A tenant's two-factor requirement (tenants.mfa_requirement) and whom it covers (ADR 0045).</summary>
public static class MfaRequirements
{
    public const string Off = "off";
    public const string Admins = "admins";
    public const string Everyone = "everyone";
    public const int DefaultGraceDays = 7;
    public static readonly (int Min, int Max) GraceRange = (0, 90);
    public static readonly IReadOnlyList<string> All = [Off, Admins, Everyone];

    /// <summary>
    /// Whether a member with <paramref name="role"/> must have a second factor. "admins" covers admins and managers. A
    /// superadmin visiting without a membership is not covered: the requirement is the tenant's rule for its members.
    /// </summary>
    public static bool AppliesTo(string requirement, TenantRole role) => role != TenantRole.Superadmin && requirement switch
    {
        Everyone => true,
        Admins => role is TenantRole.Admin or TenantRole.Manager,
        _ => false,
    };

    /// <summary>The SQL of the membership roles <paramref name="requirement"/> covers (for stamping them in one statement).</summary>
    public static string[] Roles(string requirement) => requirement switch
    {
        Everyone => TenantRoles.MembershipRoles.ToArray(),
        Admins => ["admin", "manager"],
        _ => [],
    };
}

/// <summary>Where a member without a second factor stands under their tenant's requirement: enrol by <see cref="GraceEndsAt"/>.</summary>
public sealed record MfaEnrolmentDue(DateTimeOffset GraceEndsAt, bool GraceOver);
