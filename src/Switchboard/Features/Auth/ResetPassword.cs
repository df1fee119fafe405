namespace Switchboard.Features.Auth;

public sealed record ResetPasswordRequest(string? Token, string? Password);

/// <summary>
/// Sets a new password with the link of a "forgot password" email. The token is spent only together with the new
/// password: a password the rules refuse leaves the link working for another try. Afterwards every session of the user
/// is ended, the failed-attempt count and any lockout cleared, and a notice goes to the account's address.
/// </summary>
[Scoped]
public sealed class ResetPassword(SwitchboardDbContext db, AccountTokens tokens, AccountChanges changes)
{
    public const string InvalidLink = "This password reset link is invalid, expired or already used. Ask for a new one.";

    /// <summary>The account a live link resets, or null when the link no longer works (the page says so before asking for a password).</summary>
    public async Task<Guid?> UserOfLinkAsync(string? token, CancellationToken ct) =>
        (await tokens.FindLiveAsync(token, AccountTokenPurpose.PasswordReset, ct))?.UserId;

    public async Task<Outcome<bool>> ResetAsync(ResetPasswordRequest body, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(body.Token)) errors.Add("token", InvalidLink);
        errors.Required("password", body.Password, "Password", 1024);
        if (!errors.IsValid) return Invalid(errors);

        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var token = await tokens.RedeemAsync(body.Token, AccountTokenPurpose.PasswordReset, ct);
        var user = token is null ? null : await db.Users.SingleAsync(u => u.Id == token.UserId, ct);
        if (user is not { IsActive: true }) return Invalid("token", InvalidLink);

        var problems = await changes.SetPasswordAsync(user, body.Password!, keepSession: null, AuditActions.UserPasswordReset, ct);
        if (problems.Count > 0) return new Outcome<bool>.Invalid(new Dictionary<string, string[]> { ["password"] = [.. problems] });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another request spent the same link first.
            return Invalid("token", InvalidLink);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    private static Outcome<bool> Invalid(ValidationErrors errors) => new Outcome<bool>.Invalid(errors.ToDictionary());

    private static Outcome<bool> Invalid(string field, string message) => new Outcome<bool>.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
