using Switchboard.Platform.Email;

namespace Switchboard.Platform.Identity;

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

    /// <summary>The account was just locked by its <paramref name="attempts"/>th wrong password in a row, from <paramref name="ip"/>.</summary>
    public Task AccountLockedAsync(AppUser user, int attempts, string? ip, DateTimeOffset until, CancellationToken ct) =>
        QueueAsync(new AccountLockedEmail(attempts, Now(), ip, Format(until), links.To("/forgot-password")), new EmailRecipient(user.Email!, user.DisplayName), ct);

    /// <summary>An administrator of <paramref name="tenantName"/> unlocked the account.</summary>
    public Task AccountUnlockedAsync(AppUser user, string unlockedBy, string tenantName, CancellationToken ct) =>
        QueueAsync(new AccountUnlockedEmail(unlockedBy, tenantName, Now(), links.To("/signin")), new EmailRecipient(user.Email!, user.DisplayName), ct);

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

    private string Now() => Format(clock.GetUtcNow());

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("MMM d, yyyy h:mm tt 'UTC'", CultureInfo.InvariantCulture);
}
