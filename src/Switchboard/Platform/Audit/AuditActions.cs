using System.Reflection;

namespace Switchboard.Platform.Audit;

/// <summary>An audit action: the name stored in audit_log.action and the words the audit viewer shows for it.</summary>
public sealed record AuditAction(string Name, string Label)
{
    public bool Is(string? name) => name == Name;

    public override string ToString() => Name;
}

/// <summary>
/// Every action the audit log records, in one place (ADR 0038). Names are past tense: <c>entity.verb</c> for events
/// written by the code that makes the change (<see cref="AuditLog"/>), and the bare verbs <see cref="Created"/>,
/// <see cref="Updated"/> and <see cref="Deleted"/> for the record changes <see cref="AuditInterceptor"/> writes, whose
/// entity is the row's entity type. A new action is one line here; <see cref="All"/> finds it.
/// </summary>
public static class AuditActions
{
    public static readonly AuditAction Created = new("created", "Created");
    public static readonly AuditAction Updated = new("updated", "Updated");
    public static readonly AuditAction Deleted = new("deleted", "Deleted");

    public static readonly AuditAction UserSignedIn = new("user.signed-in", "Signed in");
    public static readonly AuditAction UserSignInFailed = new("user.sign-in-failed", "Sign-in failed");
    public static readonly AuditAction UserLockedOut = new("user.locked-out", "Account locked after failed sign-ins");
    public static readonly AuditAction UserUnlocked = new("user.unlocked", "Account unlocked");
    public static readonly AuditAction UserPasswordResetRequested = new("user.password-reset-requested", "Password reset asked for");
    public static readonly AuditAction UserPasswordReset = new("user.password-reset", "Password reset");
    public static readonly AuditAction UserPasswordChanged = new("user.password-changed", "Password changed");
    public static readonly AuditAction UserEmailChangeRequested = new("user.email-change-requested", "Email change asked for");
    public static readonly AuditAction UserEmailChanged = new("user.email-changed", "Email changed");
    public static readonly AuditAction UserSecondFactorEnrolled = new("user.second-factor-enrolled", "Two-factor sign-in turned on");
    public static readonly AuditAction UserSecondFactorDisabled = new("user.second-factor-disabled", "Two-factor sign-in turned off");
    public static readonly AuditAction UserSecondFactorReset = new("user.second-factor-reset", "Two-factor sign-in reset by an administrator");
    public static readonly AuditAction UserSecondFactorFailed = new("user.second-factor-failed", "Wrong two-factor code at sign-in");
    public static readonly AuditAction UserRecoveryCodesRegenerated = new("user.recovery-codes-regenerated", "New recovery codes made");
    public static readonly AuditAction UserRecoveryCodeUsed = new("user.recovery-code-used", "Signed in with a recovery code");
    public static readonly AuditAction UserDeviceRemembered = new("user.device-remembered", "Device remembered for two-factor sign-in");
    public static readonly AuditAction UserPasskeyAdded = new("user.second-factor-passkey-added", "Passkey added");
    public static readonly AuditAction UserPasskeyRenamed = new("user.second-factor-passkey-renamed", "Passkey renamed");
    public static readonly AuditAction UserPasskeyRemoved = new("user.second-factor-passkey-removed", "Passkey removed");
    public static readonly AuditAction SessionEnded = new("session.ended", "Session ended");
    public static readonly AuditAction SessionsEndedElsewhere = new("user.signed-out-elsewhere", "Signed out of every other session");
    public static readonly AuditAction UserSessionsEnded = new("user.sessions-ended", "Sessions ended by an administrator");
    public static readonly AuditAction UsersImported = new("users.imported", "Imported users");
    public static readonly AuditAction SuperadminCreated = new("superadmin.created", "Superadmin created");
    public static readonly AuditAction SuperadminUpdated = new("superadmin.updated", "Superadmin updated");

    public static readonly AuditAction InvitationSent = new("invitation.sent", "Invitation sent");
    public static readonly AuditAction InvitationResent = new("invitation.resent", "Invitation sent again");
    public static readonly AuditAction InvitationRevoked = new("invitation.revoked", "Invitation withdrawn");
    public static readonly AuditAction InvitationAccepted = new("invitation.accepted", "Invitation accepted");
    public static readonly AuditAction InvitationsImported = new("invitations.imported", "Invited from a file");

    public static readonly AuditAction ApiKeyCreated = new("api-key.created", "API key created");
    public static readonly AuditAction ApiKeyRevoked = new("api-key.revoked", "API key revoked");

    public static readonly AuditAction TenantCreated = new("tenant.created", "Tenant created");
    public static readonly AuditAction TenantUpdated = new("tenant.updated", "Tenant updated");
    public static readonly AuditAction TenantDeactivated = new("tenant.deactivated", "Tenant deactivated");
    public static readonly AuditAction TenantReactivated = new("tenant.reactivated", "Tenant reactivated");
    public static readonly AuditAction SecuritySettingsChanged = new("tenant.security-changed", "Security settings changed");
    public static readonly AuditAction LdapSettingsChanged = new("tenant.ldap-changed", "LDAP sign-in settings changed");
    public static readonly AuditAction LdapSettingsRemoved = new("tenant.ldap-removed", "LDAP sign-in settings removed");
    public static readonly AuditAction UserProvisionedFromDirectory = new("user.provisioned", "Account created at first directory (LDAP) sign-in");
    public static readonly AuditAction MembershipRoleFromDirectory = new("membership.role-from-directory", "Role set from directory (LDAP) groups");

    // Rate limits and IP rules (ADR 0046).
    public static readonly AuditAction TenantRateLimitsChanged = new("tenant.rate-limits-changed", "API rate limits changed");
    public static readonly AuditAction IpBlocked = new("ip.blocked", "IP address blocked");
    public static readonly AuditAction IpUnblocked = new("ip.unblocked", "IP block lifted");
    public static readonly AuditAction SsoSettingsChanged = new("tenant.sso-changed", "Single sign-on settings changed");
    public static readonly AuditAction SsoSettingsRemoved = new("tenant.sso-removed", "Single sign-on removed");
    public static readonly AuditAction UserProvisionedBySso = new("user.sso-provisioned", "Account created by single sign-on");

    public static readonly AuditAction LeadConverted = new("lead.converted", "Lead converted");
    public static readonly AuditAction CallBlocked = new("call.blocked", "Call blocked");
    public static readonly AuditAction CallTranscribed = new("call.transcribed", "Transcript added to a call");
    public static readonly AuditAction CallAnalysed = new("call.analysed", "Call analysed by AI");
    public static readonly AuditAction CallAnalysisUndone = new("call.analysis-undone", "AI changes from a call undone");
    public static readonly AuditAction CallSuggestionAccepted = new("call.suggestion-accepted", "AI suggestion accepted");
    public static readonly AuditAction CallSuggestionDismissed = new("call.suggestion-dismissed", "AI suggestion dismissed");
    public static readonly AuditAction PlatformModelChanged = new("platform.ai-model-changed", "Platform AI model changed");
    public static readonly AuditAction TelephonySignatureRejected = new("telephony.signature-rejected", "Provider signature rejected");

    public static readonly AuditAction ImportStarted = new("import.started", "Import started");
    public static readonly AuditAction ImportCompleted = new("import.completed", "Import completed");
    public static readonly AuditAction ImportUndone = new("import.undone", "Import undone");
    public static readonly AuditAction ImportExpired = new("import.expired", "Import draft expired");

    public static readonly AuditAction ExportDownloaded = new("export.downloaded", "List exported");
    public static readonly AuditAction ReportDownloaded = new("report.downloaded", "Report downloaded");

    public static readonly AuditAction AuditExported = new("audit.exported", "Audit log exported");
    public static readonly AuditAction AuditPurged = new("audit.purged", "Audit log purged");
    public static readonly AuditAction AuditRetentionChanged = new("audit.retention-changed", "Audit retention changed");
    public static readonly AuditAction RetentionPreviewed = new("retention.previewed", "Retention dry run");
    public static readonly AuditAction RetentionApplied = new("retention.applied", "Retention applied");

    public static readonly AuditAction BackupCreated = new("backup.created", "Backup made");
    public static readonly AuditAction BackupFailed = new("backup.failed", "Backup failed");
    public static readonly AuditAction BackupsPruned = new("backup.pruned", "Old backups removed");
    public static readonly AuditAction BackupRestored = new("backup.restored", "Backup restored");
    public static readonly AuditAction BackupRestoreVerified = new("backup.restore-verified", "Backup restored and verified");

    /// <summary>Every action above, in declaration order.</summary>
    public static IReadOnlyList<AuditAction> All { get; } = typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(AuditAction))
        .Select(f => (AuditAction)f.GetValue(null)!)
        .ToList();

    private static readonly IReadOnlyDictionary<string, AuditAction> ByName = All.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public static AuditAction? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The viewer's words for a stored action; a name the catalogue does not know is shown as stored.</summary>
    public static string LabelOf(string name) => Find(name)?.Label ?? name;
}

/// <summary>Who an audit row says acted. The database allows exactly these (audit_log_actor_type_check).</summary>
public static class AuditActorTypes
{
    public const string User = "user";
    public const string ApiKey = "api-key";
    public const string System = "system";
    public const string Anonymous = "anonymous";
    public const string Ai = "ai";

    public static readonly IReadOnlyList<string> All = [User, ApiKey, System, Anonymous, Ai];
}
