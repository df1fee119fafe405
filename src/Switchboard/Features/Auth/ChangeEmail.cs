using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Switchboard.Features.Auth;

public sealed record ChangeEmailRequest(string? NewEmail, string? CurrentPassword);

public sealed record ConfirmEmailRequest(string? Token);

/// <summary>What an email change request answers; the same whether or not another account has the new address.</summary>
public sealed record ChangeEmailAnswer(string Message);

/// <summary>
/// A signed-in user changes their own email address (which is also their user name): after the current password, a
/// single-use link valid 24 hours goes to the new address, and the change happens when it is opened; a notice then goes
/// to the old address. Asking does not look at who holds the new address, so its answer cannot tell whether an account
/// has it; if one does by the time the link is opened, the confirmation says so — to the holder of that address.
/// </summary>
[Scoped]
public sealed class ChangeEmail(SwitchboardDbContext db, UserManager<AppUser> users, AccountTokens tokens, AccountChanges changes, AccountEmails emails,
    TenantContext ctx)
{
    public const string InvalidLink = "This confirmation link is invalid, expired or already used. Ask for a new one from your profile.";

    public async Task<Outcome<ChangeEmailAnswer>> RequestAsync(ChangeEmailRequest body, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var newEmail = body.NewEmail?.Trim();
        errors.Required("newEmail", newEmail, "New email", 254);
        errors.Email("newEmail", newEmail);
        if (newEmail is not null && !errors.Has("newEmail") && !newEmail.All(users.Options.User.AllowedUserNameCharacters.Contains))
            errors.Add("newEmail", $"'{newEmail}' has characters an account's address cannot have.");
        errors.Required("currentPassword", body.CurrentPassword, "Current password", 1024);
        if (!errors.IsValid) return new Outcome<ChangeEmailAnswer>.Invalid(errors.ToDictionary());

        var user = await db.Users.SingleAsync(u => u.Id == ctx.RequiredUserId, ct);
        if (users.NormalizeEmail(newEmail) == user.NormalizedEmail) return Invalid("newEmail", "This is already your email address.");
        if (await changes.CurrentPasswordProblemAsync(user, body.CurrentPassword!, ct) is { } wrong) return Invalid("currentPassword", wrong);

        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var token = await tokens.IssueAsync(user.Id, AccountTokenPurpose.EmailChange, newEmail, ct);
        await emails.EmailChangeLinkAsync(user, newEmail!, token, ct);
        changes.Audit(AuditActions.UserEmailChangeRequested, user, new { newEmail });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ChangeEmailAnswer($"We sent a link to {newEmail}. Open it within 24 hours to make it your email address; until then your address stays {user.Email}.");
    }

    /// <summary>The address a live link would confirm (the page shows it before asking to confirm); null when the link does not work.</summary>
    public async Task<string?> PendingAddressAsync(string? token, CancellationToken ct) =>
        (await tokens.FindLiveAsync(token, AccountTokenPurpose.EmailChange, ct))?.NewEmail;

    /// <summary>
    /// Makes the link's address the account's email and user name. When another account has the address by now, nothing
    /// changes and the link keeps working (the other account may give the address up). Every other link sent before ends.
    /// </summary>
    public async Task<Outcome<string>> ConfirmAsync(ConfirmEmailRequest body, CancellationToken ct)
    {
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var token = await tokens.RedeemAsync(body.Token, AccountTokenPurpose.EmailChange, ct);
        var user = token is null ? null : await db.Users.SingleAsync(u => u.Id == token.UserId, ct);
        if (user is not { IsActive: true }) return Invalid<string>("token", InvalidLink);

        var newEmail = token!.NewEmail!;
        if (await users.FindByEmailAsync(newEmail) is { } holder && holder.Id != user.Id) return Taken(newEmail);
        var oldEmail = user.Email!;
        user.Email = user.UserName = newEmail;
        user.NormalizedEmail = users.NormalizeEmail(newEmail);
        user.NormalizedUserName = users.NormalizeName(newEmail);
        user.EmailConfirmed = true;
        Passwords.NewStamps(user);
        await tokens.EndAllForUserAsync(user.Id, ct);
        await emails.EmailChangedAsync(user, oldEmail, newEmail, ct);
        changes.Audit(AuditActions.UserEmailChanged, user, new { from = oldEmail, to = newEmail });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Invalid<string>("token", InvalidLink);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another account took the address between the check and this write.
            return Taken(newEmail);
        }
        await tx.CommitAsync(ct);
        return newEmail;
    }

    private static Outcome<string> Taken(string email) =>
        new Outcome<string>.Conflict($"Another Switchboard account already uses {email}, so it cannot become this account's address. Nothing was changed.");

    private static Outcome<ChangeEmailAnswer> Invalid(string field, string message) => Invalid<ChangeEmailAnswer>(field, message);

    private static Outcome<T> Invalid<T>(string field, string message) => new Outcome<T>.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
