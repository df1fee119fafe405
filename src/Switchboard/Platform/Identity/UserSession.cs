namespace Switchboard.Platform.Identity;

/// <summary>A signed-in session (browser or API). Access tokens and cookies carry its id; revoking it ends them.</summary>
public sealed class UserSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid? TenantId { get; set; }
    public required string Kind { get; set; }

    /// <summary>How the person proved who they are: one of <see cref="SignInMethods"/>.</summary>
    public string SignInMethod { get; set; } = SignInMethods.Password;
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The session's last request, to the minute (<see cref="SessionLimits.TouchInterval"/>); the idle timeout counts from it.</summary>
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Why it was revoked: one of <see cref="SessionEndReasons"/> (null for sessions revoked before reasons were kept).</summary>
    public string? RevokedReason { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
}

/// <summary>Why a session ended, as stored in user_sessions.revoked_reason (the migration's check lists the same words).</summary>
public static class SessionEndReasons
{
    public const string SignedOut = "signed-out";
    public const string SwitchedTenant = "switched-tenant";
    public const string EndedByUser = "ended-by-user";
    public const string EndedByAdmin = "ended-by-admin";
    public const string Idle = "idle";
    public const string Expired = "expired";
    public const string PasswordChanged = "password-changed";
    public const string PasswordReset = "password-reset";
    public const string RefreshTokenReused = "refresh-token-reused";
    public const string MembershipRemoved = "membership-removed";
}

/// <summary>How a session was opened, as stored in user_sessions.sign_in_method and named in the signed-in audit row.</summary>
public static class SignInMethods
{
    public const string Password = "password";

    /// <summary>A tenant's LDAP / Active Directory checked the password (ADR 0048).</summary>
    public const string Ldap = "ldap";

    /// <summary>A tenant's OpenID Connect provider (ADR 0047): such a session stays in that tenant.</summary>
    public const string Sso = "sso";

    /// <summary>A passkey alone, with user verification (ADR 0050): the passwordless sign-in.</summary>
    public const string Passkey = "passkey";
}

public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public Guid SessionId { get; set; }
    public required byte[] TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}
