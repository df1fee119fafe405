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

    public static string ToName(this TenantRole role) => role.ToString().ToLowerInvariant();

    public static bool TryParseMembershipRole(string? value, out TenantRole role)
    {
        role = default;
        return value is not null
               && MembershipRoles.Contains(value)
               && Enum.TryParse(value, ignoreCase: true, out role);
    }
}
