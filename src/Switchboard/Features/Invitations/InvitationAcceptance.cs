using Microsoft.AspNetCore.Identity;

namespace Switchboard.Features.Invitations;

/// <summary>
/// What an invitation's link opens: where to, as what, whether the address already has an account (the link's holder
/// owns the address), and whether the workspace signs in with single sign-on only, when the invitation is accepted
/// through its provider. The tenant's id and slug only for the page (the password rules, the SSO button).
/// </summary>
public sealed record InvitationPreview(string TenantName, string Email, string Role, bool HasAccount, DateTimeOffset ExpiresAt, bool SsoRequired,
    [property: System.Text.Json.Serialization.JsonIgnore] Guid TenantId,
    [property: System.Text.Json.Serialization.JsonIgnore] string TenantSlug);

/// <summary>
/// The body of POST /api/v1/invitations/accept: a new account gives names and a password; an existing account only
/// its own password.
/// </summary>
public sealed record InvitationAccept : RequestBody
{
    public Optional<string?> Token { get; init; }
    public Optional<string?> FirstName { get; init; }
    public Optional<string?> LastName { get; init; }

    /// <summary>As typed: a password is never trimmed.</summary>
    public string? Password { get; init; }
}

public sealed record AcceptedInvitation(AppUser User, Guid TenantId);

/// <summary>
/// The link holder's side of an invitation (ADR 0040): what the link opens, and accepting it with a new account's
/// password, the existing account's password, or, where the workspace requires single sign-on, its provider's word.
/// </summary>
// Wide on purpose: database, tenant, clock and audit are ambient; accounts and the lockout an existing account's
// wrong password counts towards are the acceptance's own.
[Scoped]
public sealed class InvitationAcceptance(SwitchboardDbContext db, TenantContext ctx, UserManager<AppUser> users, AuditLog audit, Lockouts lockouts,
    TimeProvider clock)
{
    public const string LockedAccount = "This account is locked after too many wrong passwords; try again later.";
    public const string InvalidLink = "This invitation link is not valid: it was replaced by a newer one, withdrawn, or mistyped. Ask for a new invitation.";
    private const string Deactivated = "This account is deactivated and cannot join a workspace; ask a Switchboard administrator.";

    public static string SsoOnly(string tenantName) =>
        $"{tenantName} signs in with single sign-on: open the invitation link in a browser and choose “Accept with single sign-on”.";

    /// <summary>What a link leads to, for the accept page and GET /api/v1/invitations/accept; a message when it leads nowhere.</summary>
    public async Task<Outcome<InvitationPreview>> PreviewAsync(string? token, CancellationToken ct)
    {
        await using var unit = await db.BeginUnitOfWorkAsync(ct);
        var found = await FindByTokenAsync(token, ct);
        if (found.Problem is { } problem) return Invalid<InvitationPreview>("token", problem);
        var invitation = found.Invitation!;
        var hasAccount = await db.Users.AnyAsync(u => u.NormalizedEmail == users.NormalizeEmail(invitation.Email), ct);
        var tenant = found.Tenant!;
        return new InvitationPreview(tenant.Name, invitation.Email, invitation.Role, hasAccount, invitation.ExpiresAt, tenant.SsoRequired, tenant.Id, tenant.Slug);
    }

    /// <summary>
    /// Accepts an invitation: a new account is created with the names and password given; an existing account proves
    /// itself with its password (a wrong one counts toward its lockout). The person becomes a member with the invited
    /// role, and the invitation is used up — all in one transaction.
    /// </summary>
    public async Task<Outcome<AcceptedInvitation>> AcceptAsync(InvitationAccept body, CancellationToken ct)
    {
        var errors = body.BindingErrors();
        errors.Required("token", body.Token.Value, "Token", 64);
        if (string.IsNullOrEmpty(body.Password)) errors.Add("password", "Password is required.");
        else if (body.Password.Length > 1024) errors.Add("password", "Password must be at most 1024 characters.");
        if (!errors.IsValid) return new Outcome<AcceptedInvitation>.Invalid(errors.ToDictionary());

        await using var unit = await db.BeginUnitOfWorkAsync(ct);
        var found = await FindByTokenAsync(body.Token.Value, ct);
        if (found.Problem is { } problem) return Invalid<AcceptedInvitation>("token", problem);
        var invitation = found.Invitation!;
        if (found.Tenant!.SsoRequired) return Invalid<AcceptedInvitation>("password", SsoOnly(found.Tenant.Name));
        var user = await users.FindByEmailAsync(invitation.Email);
        var newAccount = user is null;
        if (user is null)
        {
            errors.Required("firstName", body.FirstName.Value?.Trim(), "First name", 100);
            errors.Required("lastName", body.LastName.Value?.Trim(), "Last name", 100);
            if (!errors.IsValid) return new Outcome<AcceptedInvitation>.Invalid(errors.ToDictionary());
            user = new AppUser
            {
                Id = Guid.CreateVersion7(), UserName = invitation.Email, Email = invitation.Email, EmailConfirmed = true,
                FirstName = body.FirstName.Value!.Trim(), LastName = body.LastName.Value!.Trim(), CreatedAt = clock.GetUtcNow(), LockoutEnabled = true,
            };
            var created = await users.CreateAsync(user, body.Password!);
            if (!created.Succeeded)
                return new Outcome<AcceptedInvitation>.Invalid(new Dictionary<string, string[]> { ["password"] = created.Errors.Select(e => e.Description).ToArray() });
        }
        else
        {
            if (!user.IsActive) return Invalid<AcceptedInvitation>("token", Deactivated);
            if (await users.IsLockedOutAsync(user)) return Invalid<AcceptedInvitation>("password", LockedAccount);
            if (!await users.CheckPasswordAsync(user, body.Password!))
            {
                // Counts towards the lockout like a failed sign-in: committed (nothing else is in the unit yet).
                var locked = await lockouts.WrongPasswordAsync(user, invitation.TenantId, ct);
                await unit.CommitAsync(ct);
                return Invalid<AcceptedInvitation>("password", locked
                    ? LockedAccount
                    : "The password is not the one of your Switchboard account.");
            }
            await users.ResetAccessFailedCountAsync(user);
        }

        await JoinAsync(invitation, user, newAccount, SignInMethods.Password, ct);
        await unit.CommitAsync(ct);
        return new AcceptedInvitation(user, invitation.TenantId);
    }

    /// <summary>
    /// Accepts an invitation to a workspace that requires single sign-on, once its provider has vouched for
    /// <paramref name="verifiedEmail"/> (ADR 0047): only the invited address, in the invitation's own workspace. A new
    /// account gets no password (like one provisioned by the provider); an existing one joins without giving its
    /// password, which that workspace would refuse anyway.
    /// </summary>
    public async Task<Outcome<AcceptedInvitation>> AcceptThroughSsoAsync(string token, Guid tenantId, string verifiedEmail, string firstName, string lastName,
        CancellationToken ct)
    {
        await using var unit = await db.BeginUnitOfWorkAsync(ct);
        var found = await FindByTokenAsync(token, ct);
        if (found.Problem is { } problem) return Invalid<AcceptedInvitation>("token", problem);
        var invitation = found.Invitation!;
        if (invitation.TenantId != tenantId || users.NormalizeEmail(invitation.Email) != users.NormalizeEmail(verifiedEmail))
            return Invalid<AcceptedInvitation>("token",
                $"This invitation is for {invitation.Email}, but the sign-in provider signed you in as {verifiedEmail}. Sign in to the provider as {invitation.Email}.");
        var user = await users.FindByEmailAsync(invitation.Email);
        var newAccount = user is null;
        if (user is null)
        {
            user = new AppUser
            {
                Id = Guid.CreateVersion7(), UserName = invitation.Email, Email = invitation.Email, EmailConfirmed = true,
                FirstName = firstName, LastName = lastName, CreatedAt = clock.GetUtcNow(), LockoutEnabled = true,
            };
            if (!(await users.CreateAsync(user)).Succeeded) return Invalid<AcceptedInvitation>("token", "The account could not be created. Try again.");
        }
        else if (!user.IsActive) return Invalid<AcceptedInvitation>("token", Deactivated);
        await JoinAsync(invitation, user, newAccount, SignInMethods.Sso, ct);
        await unit.CommitAsync(ct);
        return new AcceptedInvitation(user, invitation.TenantId);
    }

    /// <summary>The person becomes a member with the invited role (unless they already are) and the invitation is used up.</summary>
    private async Task JoinAsync(Invitation invitation, AppUser user, bool newAccount, string method, CancellationToken ct)
    {
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == user.Id, ct);
        if (membership is null)
            db.Memberships.Add(new TenantMembership { UserId = user.Id, Role = invitation.Role, Department = invitation.Department, Phone = invitation.Phone });
        invitation.AcceptedAt = clock.GetUtcNow();
        invitation.AcceptedBy = user.Id;
        audit.Add(AuditActions.InvitationAccepted, invitation.TenantId, "invitation", invitation.Id.ToString(), new { invitation.Email, invitation.Role, newAccount, method });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The invitation a link's token opens, entered into its tenant; or why the link does not work. Must run inside a
    /// transaction: the token is handed to row-level security as a transaction-local setting.
    /// </summary>
    private async Task<(Invitation? Invitation, Tenant? Tenant, string? Problem)> FindByTokenAsync(string? token, CancellationToken ct)
    {
        if (!SecretTokens.TryHash(token, out var hash)) return (null, null, InvalidLink);
        await db.Database.ExecuteSqlRawAsync("select set_config('app.invitation_token', {0}, true)", [Convert.ToHexStringLower(hash)], ct);
        var match = await db.Invitations.IgnoreQueryFilters().AsNoTracking().Where(i => i.TokenHash == hash)
            .Select(i => new { i.TenantId, i.Id }).SingleOrDefaultAsync(ct);
        if (match is null) return (null, null, InvalidLink);
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == match.TenantId, ct);
        if (!tenant.IsActive) return (null, null, TenantMessages.Deactivated(tenant.Name));
        await ctx.EnterTenantAsync(TenantMessages.Settings(tenant), TenantRole.Readonly);
        var invitation = await db.Invitations.SingleAsync(i => i.Id == match.Id, ct);
        return invitation.Status(clock.GetUtcNow()) switch
        {
            InvitationStatus.Accepted => (null, null, "This invitation was already accepted. Sign in to use the workspace."),
            InvitationStatus.Revoked => (null, null, InvalidLink),
            InvitationStatus.Expired => (null, null, $"This invitation expired on {Display.DateTime(invitation.ExpiresAt, ctx.Tenant)}. Ask for a new one."),
            _ => (invitation, tenant, null),
        };
    }

    private static Outcome<T> Invalid<T>(string field, string message) =>
        new Outcome<T>.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
