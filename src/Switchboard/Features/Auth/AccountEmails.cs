using Switchboard.Platform.Email;

namespace Switchboard.Features.Auth;

/// <summary>
/// The emails about a person's own account: the reset and confirmation links, and the notices after a change. An account
/// belongs to no tenant, so they carry the platform's branding, and times are given in UTC.
/// </summary>
[Scoped]
public sealed class AccountEmails(EmailOutbox outbox, AppLinks links, TimeProvider clock)
{
    public Task ResetLinkAsync(AppUser user, string token, CancellationToken ct) =>
        QueueAsync(new PasswordResetEmail(links.To("/reset-password?token=" + Uri.EscapeDataString(token)), (int)AccountTokens.PasswordResetLifetime.TotalMinutes),
            new EmailRecipient(user.Email!, user.DisplayName), ct);

    public Task PasswordChangedAsync(AppUser user, bool otherSessionsEnded, CancellationToken ct) =>
        QueueAsync(new PasswordChangedEmail(Now(), links.To("/signin"), otherSessionsEnded), new EmailRecipient(user.Email!, user.DisplayName), ct);

    /// <summary>The confirmation link goes to the new address, the only proof that the person can read mail there.</summary>
    public Task EmailChangeLinkAsync(AppUser user, string newEmail, string token, CancellationToken ct) =>
        QueueAsync(new EmailChangeEmail(newEmail, links.To("/confirm-email?token=" + Uri.EscapeDataString(token)), (int)AccountTokens.EmailChangeLifetime.TotalHours),
            new EmailRecipient(newEmail, user.DisplayName), ct);

    /// <summary>The notice goes to the old address: if someone else made the change, the owner learns of it there.</summary>
    public Task EmailChangedAsync(AppUser user, string oldEmail, string newEmail, CancellationToken ct) =>
        QueueAsync(new EmailChangedEmail(newEmail, Now()), new EmailRecipient(oldEmail, user.DisplayName), ct);

    private Task QueueAsync(EmailTemplate email, EmailRecipient to, CancellationToken ct) => outbox.QueueAsync(email, to, tenantId: null, ct);

    private string Now() => clock.GetUtcNow().ToString("MMM d, yyyy h:mm tt 'UTC'", CultureInfo.InvariantCulture);
}
