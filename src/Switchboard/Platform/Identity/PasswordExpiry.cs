namespace Switchboard.Platform.Identity;

/// <summary>
/// A tenant's maximum password age, at sign-in (ADR 0042): a user whose password is older than the strictest maximum
/// among their tenants gets no session. They get a password-reset token instead — only after giving the right password —
/// with which the sign-in page (or an API client, through POST /api/v1/auth/reset-password) sets a new one at once.
/// </summary>
[Scoped]
public sealed class PasswordExpiry(PasswordPolicy policy, AccountTokens tokens, TimeProvider clock)
{
    /// <summary>Null when the password may still be used; else a reset token, saved with the caller's unit of work.</summary>
    public async Task<string?> ResetTokenIfExpiredAsync(AppUser user, Guid? tenantId, CancellationToken ct)
    {
        var rules = await policy.RulesForAsync(user.Id, tenantId, ct);
        if (!rules.IsExpired(user.PasswordChangedAt, clock.GetUtcNow())) return null;
        return await tokens.IssueAsync(user.Id, AccountTokenPurpose.PasswordReset, null, ct);
    }
}
