namespace Switchboard.Features.Auth;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>
/// A signed-in user changes their own password: the current one is checked as at sign-in (a wrong one counts towards
/// lockout), every other session is ended while the one making the change stays, and a notice goes to the account's address.
/// </summary>
[Scoped]
public sealed class ChangePassword(SwitchboardDbContext db, AccountChanges changes, TenantContext ctx)
{
    /// <param name="currentSession">The session making the change, which stays signed in.</param>
    public async Task<Outcome<bool>> ChangeAsync(ChangePasswordRequest body, Guid? currentSession, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("currentPassword", body.CurrentPassword, "Current password", 1024);
        errors.Required("newPassword", body.NewPassword, "New password", 1024);
        if (!errors.IsValid) return new Outcome<bool>.Invalid(errors.ToDictionary());

        var user = await db.Users.SingleAsync(u => u.Id == ctx.RequiredUserId, ct);
        if (await changes.CurrentPasswordProblemAsync(user, body.CurrentPassword!, ct) is { } wrong)
            return new Outcome<bool>.Invalid(new Dictionary<string, string[]> { ["currentPassword"] = [wrong] });

        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var problems = await changes.SetPasswordAsync(user, body.NewPassword!, currentSession, AuditActions.UserPasswordChanged, ct);
        if (problems.Count > 0) return new Outcome<bool>.Invalid(new Dictionary<string, string[]> { ["newPassword"] = [.. problems] });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
