namespace Switchboard.Platform.Identity;

/// <summary>
/// Why a sign-in failed, as <see cref="SignInService"/> records it in the audit row's "reason", and the words the sign-in
/// log shows for it. One list, so the log knows every reason the sign-in writes.
/// </summary>
public static class SignInFailures
{
    public const string WrongPassword = "wrong-password";
    public const string LockedOut = "locked-out";
    public const string NotAMember = "not-a-member";
    public const string NoTenant = "no-tenant";
    public const string TenantDeactivated = "tenant-deactivated";
    public const string UnknownEmail = "unknown-email";
    public const string UserInactive = "user-inactive";
    public const string PasswordExpired = "password-expired";
    public const string DirectoryAccountMissing = "directory-account-missing";
    public const string DirectoryAccountDisabled = "directory-account-disabled";
    public const string DirectoryUnavailable = "directory-unavailable";

    // Single sign-on (ADR 0047): the password refused where SSO is required, and why a provider's sign-in was refused.
    public const string SsoRequired = "sso-required";
    public const string SsoFailed = "sso-failed";
    public const string SsoInvalidState = "invalid-state";
    public const string SsoEmailNotVerified = "email-not-verified";
    public const string SsoDomainNotAllowed = "domain-not-allowed";
    public const string SsoNoAccount = "no-account";
    public const string SsoSuperadmin = "superadmin";
    public const string SsoInvitationRefused = "invitation-refused";
    public const string MembershipDeactivated = "membership-deactivated";

    private static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [WrongPassword] = "Wrong password",
        [LockedOut] = "Account locked after wrong passwords",
        [NotAMember] = "Not a member of the workspace asked for",
        [NoTenant] = "Not a member of any active workspace",
        [TenantDeactivated] = "Workspace deactivated",
        [UnknownEmail] = "No account has this address",
        [UserInactive] = "Account deactivated",
        [PasswordExpired] = "Password expired: asked to choose a new one",
        [DirectoryAccountMissing] = "No directory (LDAP) entry answers to this address",
        [DirectoryAccountDisabled] = "Directory (LDAP) account disabled",
        [DirectoryUnavailable] = "Directory (LDAP) could not be reached",
        [SsoRequired] = "Password refused: the workspace requires single sign-on",
        [SsoFailed] = "Single sign-on failed at the provider",
        [SsoInvalidState] = "Single sign-on answer not started in this browser",
        [SsoEmailNotVerified] = "Single sign-on: email not verified by the provider",
        [SsoDomainNotAllowed] = "Single sign-on: email domain not allowed",
        [SsoNoAccount] = "Single sign-on: no account, and accounts are not created",
        [SsoSuperadmin] = "Single sign-on refused for a superadmin",
        [SsoInvitationRefused] = "Single sign-on: invitation not accepted (used, expired, or for another address)",
        [MembershipDeactivated] = "Membership deactivated",
        [Passkeys.PasskeyFailures.NoCeremony] = "Passkey: the sign-in had expired or was already used",
        [Passkeys.PasskeyFailures.UnknownPasskey] = "Passkey not registered (or removed)",
        [Passkeys.PasskeyFailures.Rejected] = "Passkey answer refused (signature, origin or user verification)",
        [Passkeys.PasskeyFailures.CounterRegression] = "Passkey refused: its signature counter went back (a cloned authenticator?)",
    };

    /// <summary>The words for <paramref name="reason"/>; the reason itself for one this list does not know.</summary>
    public static string Label(string reason) => Labels.GetValueOrDefault(reason, reason);
}
