namespace Switchboard.Platform.Identity;

/// <summary>
/// What the password step of sign-in found: <see cref="Method"/> says which check ran (<see cref="SignInMethods"/>),
/// <see cref="Failure"/> why it refused (a <see cref="SignInFailures"/> reason, null when accepted), and <see cref="Role"/>
/// the role a directory's groups gave, when they decide it.
/// </summary>
public sealed record PasswordCheck(string Method, string? Failure, TenantRole? Role = null)
{
    public bool Accepted => Failure is null;
}

/// <summary>
/// A directory that checks passwords instead of the local hash for some tenants' members (LDAP / Active Directory,
/// Features/Ldap, ADR 0048). <see cref="SignInService"/> asks it first; null means the directory has no say and the local
/// password is checked.
/// </summary>
public interface IDirectorySignIn
{
    Task<PasswordCheck?> CheckAsync(AppUser user, MembershipChoice? target, string password, CancellationToken ct);

    /// <summary>An account for a directory user signing in for the first time (just-in-time provisioning), or null.</summary>
    Task<AppUser?> ProvisionAsync(string email, string password, string? tenantSlug, CancellationToken ct);
}
