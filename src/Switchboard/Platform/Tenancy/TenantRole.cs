namespace Switchboard.Platform.Tenancy;

/// <summary>A user's role inside one tenant. Superadmin is global (a flag on the user), not a membership role.</summary>
public enum TenantRole
{
    Readonly,
    Agent,
    Manager,
    Admin,
    Superadmin,
}

public static class TenantRoles
{
    public static readonly IReadOnlyList<string> MembershipRoles = ["admin", "manager", "agent", "readonly"];

    /// <summary>The role's API name; constants, since responses name a role on every request.</summary>
    public static string ToName(this TenantRole role) => role switch
    {
        TenantRole.Readonly => "readonly",
        TenantRole.Agent => "agent",
        TenantRole.Manager => "manager",
        TenantRole.Admin => "admin",
        TenantRole.Superadmin => "superadmin",
        _ => role.ToString().ToLowerInvariant(),
    };

    /// <summary>A stored membership role; one this version does not know reads as readonly (the least it can be).</summary>
    public static TenantRole MembershipRoleOrReadonly(string? value) => TryParseMembershipRole(value, out var role) ? role : TenantRole.Readonly;

    public static bool TryParseMembershipRole(string? value, out TenantRole role)
    {
        role = default;
        return value is not null
               && MembershipRoles.Contains(value)
               && Enum.TryParse(value, ignoreCase: true, out role);
    }
}
