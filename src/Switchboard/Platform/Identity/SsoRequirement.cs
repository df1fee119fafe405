namespace Switchboard.Platform.Identity;

/// <summary>
/// "SSO required" (ADR 0047): a tenant that requires single sign-on refuses its members' passwords, except its
/// break-glass administrator's while they are an active administrator there. Superadmins run the platform, not the
/// tenant, and keep their password.
/// </summary>
public static class SsoRequirement
{
    public const string SwitchRefused =
        "You signed in with your workspace's single sign-on, which vouches for you in that workspace only. Sign out and sign in again to open another.";

    public static bool RefusesPassword(Tenant tenant, TenantRole role, AppUser user) =>
        tenant.SsoRequired && !user.IsSuperadmin && !(tenant.SsoBreakGlassUserId == user.Id && role == TenantRole.Admin);

    public static string PasswordRefused(string tenantName) =>
        $"{tenantName} signs in with single sign-on: use “Sign in with SSO”. To open another workspace with your password, name it under “Sign in to a specific workspace”.";
}
