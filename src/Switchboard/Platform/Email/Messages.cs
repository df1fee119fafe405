namespace Switchboard.Platform.Email;

// Every email Switchboard sends, one record each: the values its template (Templates/<culture>/<name>.*.liquid) reads.
// Links are absolute (App:PublicUrl); dates and times come formatted for the recipient.

/// <summary>An invitation to join a tenant; <see cref="HasAccount"/> changes the wording (sign in to accept vs set a password).</summary>
public sealed record InvitationEmail(string InviterName, string TenantName, string Role, string AcceptUrl, string ExpiresAt, bool HasAccount) : EmailTemplate
{
    public override string Name => "invitation";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["inviter_name"] = InviterName, ["tenant_name"] = TenantName, ["role"] = Role,
        ["accept_url"] = AcceptUrl, ["expires_at"] = ExpiresAt, ["has_account"] = HasAccount,
    };
}

/// <summary>A link to choose a new password; asked for on the sign-in page or by API.</summary>
public sealed record PasswordResetEmail(string ResetUrl, int ValidMinutes) : EmailTemplate
{
    public override string Name => "password-reset";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["reset_url"] = ResetUrl, ["valid_minutes"] = ValidMinutes,
    };
}

/// <summary>
/// The notice after a password was reset or changed: every session was ended, or every other one when the user changed
/// it while signed in (<see cref="OtherSessionsEnded"/>).
/// </summary>
public sealed record PasswordChangedEmail(string When, string SignInUrl, bool OtherSessionsEnded = false) : EmailTemplate
{
    public override string Name => "password-changed";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["when"] = When, ["sign_in_url"] = SignInUrl, ["other_sessions_ended"] = OtherSessionsEnded,
    };
}

/// <summary>To the new address a user gave for their account: the link that makes it the account's email.</summary>
public sealed record EmailChangeEmail(string NewEmail, string ConfirmUrl, int ValidHours) : EmailTemplate
{
    public override string Name => "email-change";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["new_email"] = NewEmail, ["confirm_url"] = ConfirmUrl, ["valid_hours"] = ValidHours,
    };
}

/// <summary>To the old address once an account's email was changed: where its mail goes now.</summary>
public sealed record EmailChangedEmail(string NewEmail, string When) : EmailTemplate
{
    public override string Name => "email-changed";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["new_email"] = NewEmail, ["when"] = When,
    };
}

/// <summary>
/// The account was locked after too many wrong passwords in a row: when, from where, until when, and what to do if it
/// was not the account's owner (reset the password; an administrator can unlock it sooner).
/// </summary>
public sealed record AccountLockedEmail(int Attempts, string When, string? Ip, string Until, string ResetUrl) : EmailTemplate
{
    public override string Name => "account-locked";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["attempts"] = Attempts, ["when"] = When, ["ip"] = Ip ?? "an unknown address", ["until"] = Until, ["reset_url"] = ResetUrl,
    };
}

/// <summary>An administrator unlocked the account before its lockout ran out.</summary>
public sealed record AccountUnlockedEmail(string UnlockedBy, string TenantName, string When, string SignInUrl) : EmailTemplate
{
    public override string Name => "account-unlocked";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["unlocked_by"] = UnlockedBy, ["tenant_name"] = TenantName, ["when"] = When, ["sign_in_url"] = SignInUrl,
    };
}

/// <summary>A sign-in from a browser or device this account has not used before.</summary>
public sealed record NewSignInEmail(string When, string Device, string? Ip, string SessionsUrl) : EmailTemplate
{
    public override string Name => "new-sign-in";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["when"] = When, ["device"] = Device, ["ip"] = Ip ?? "unknown", ["sessions_url"] = SessionsUrl,
    };
}

/// <summary>A second factor was added, removed or reset by an administrator (<see cref="Change"/> says which, as a sentence).</summary>
public sealed record SecondFactorChangedEmail(string Change, string When, string SecurityUrl) : EmailTemplate
{
    public override string Name => "second-factor-changed";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["change"] = Change, ["when"] = When, ["security_url"] = SecurityUrl,
    };
}

/// <summary>To a tenant's administrators: an API key was created.</summary>
public sealed record ApiKeyCreatedEmail(string KeyName, string CreatedBy, string Access, string When, string KeysUrl) : EmailTemplate
{
    public override string Name => "api-key-created";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["key_name"] = KeyName, ["created_by"] = CreatedBy, ["access"] = Access, ["when"] = When, ["keys_url"] = KeysUrl,
    };
}

/// <summary>An export prepared in the background can be downloaded until <see cref="ExpiresAt"/>.</summary>
public sealed record ExportReadyEmail(string ExportName, string DownloadUrl, string ExpiresAt) : EmailTemplate
{
    public override string Name => "export-ready";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["export_name"] = ExportName, ["download_url"] = DownloadUrl, ["expires_at"] = ExpiresAt,
    };
}

/// <summary>The message of <c>switchboard mail test</c> and of the Outgoing mail page's test button.</summary>
public sealed record TestEmail(string SentBy, string Route) : EmailTemplate
{
    public override string Name => "test";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["sent_by"] = SentBy, ["route"] = Route,
    };
}

/// <summary>An outbound webhook was disabled by the dispatcher (its endpoint failed for days, or answered 410 Gone).</summary>
public sealed record WebhookDisabledEmail(string Url, string Reason, string When, string WebhooksUrl) : EmailTemplate
{
    public override string Name => "webhook-disabled";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["url"] = Url, ["reason"] = Reason, ["when"] = When, ["webhooks_url"] = WebhooksUrl,
    };
}
