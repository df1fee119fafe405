using Fido2NetLib;
using Switchboard.Platform.Identity.Passkeys;
using Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Features.TwoFactor;

public sealed record PasskeyDto(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>The browser's answer to the creation options, and the name its owner gives the passkey.</summary>
public sealed record PasskeyFinishRequest(string? Name, AuthenticatorAttestationRawResponse? Credential);
public sealed record PasskeyRenameRequest(string? Name);

/// <summary>The passkey added; <see cref="RecoveryCodes"/> (shown only here) when it was the account's first second factor.</summary>
public sealed record PasskeyAdded(PasskeyDto Passkey, IReadOnlyList<string>? RecoveryCodes);

/// <summary>
/// A person's own passkeys (ADR 0050), beside their authenticator app: add one (options, then the browser's
/// attestation, which proves the authenticator holds the key), list, rename, remove. Adding or removing one is audited
/// and told by email like a change of the authenticator app; removing one needs a current code or a recovery code,
/// like turning the app off. The first second factor of an account brings its ten recovery codes.
/// </summary>
[Scoped]
public sealed class PasskeyService(SwitchboardDbContext db, TenantContext ctx, PasskeyCredentials passkeys, SecondFactorCodes codes, TwoFactorService twoFactor,
    AuditLog audit)
{
    public const int NameMaxLength = 100;

    public async Task<IReadOnlyList<PasskeyDto>> ListAsync(CancellationToken ct) => (await passkeys.ListAsync(ctx.RequiredUserId, ct)).Select(Dto).ToList();

    /// <summary>The options for navigator.credentials.create (WebAuthn's PublicKeyCredentialCreationOptions, binary fields in base64url).</summary>
    public async Task<string> BeginAsync(CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == ctx.RequiredUserId, ct);
        return await passkeys.CreationOptionsAsync(user, ct);
    }

    public async Task<Outcome<PasskeyAdded>> FinishAsync(PasskeyFinishRequest body, CancellationToken ct)
    {
        var userId = ctx.RequiredUserId;
        var errors = new ValidationErrors();
        var name = body.Name?.Trim();
        errors.Required("name", name, "Name", NameMaxLength);
        if (body.Credential?.Response is null) errors.Add("credential", "The browser's answer (credential) is required.");
        if (!errors.IsValid) return new Outcome<PasskeyAdded>.Invalid(errors.ToDictionary());

        var firstFactor = (await codes.MethodsAsync(userId, ct)).Count == 0;
        var (passkey, problem) = await passkeys.CreateAsync(userId, body.Credential!, name!, ct);
        if (passkey is null) return new Outcome<PasskeyAdded>.Invalid(new Dictionary<string, string[]> { ["credential"] = [problem!] });
        var recovery = firstFactor ? await codes.NewRecoveryCodesAsync(userId, ct) : null;
        await twoFactor.ChangedAsync(userId, AuditActions.UserPasskeyAdded, $"A passkey named “{name}” was added to your account. It signs you in, and counts as your second factor.",
            new { method = SecondFactorMethods.WebAuthn, passkey = passkey.Id, name }, ct);
        return new PasskeyAdded(Dto(passkey), recovery);
    }

    public async Task<Outcome<PasskeyDto>> RenameAsync(Guid id, PasskeyRenameRequest body, CancellationToken ct)
    {
        var name = body.Name?.Trim();
        var errors = new ValidationErrors();
        errors.Required("name", name, "Name", NameMaxLength);
        if (!errors.IsValid) return new Outcome<PasskeyDto>.Invalid(errors.ToDictionary());
        if (await FindAsync(id, ct) is not { } passkey) return new Outcome<PasskeyDto>.NotFound();
        audit.Add(AuditActions.UserPasskeyRenamed, ctx.TenantId, "user", passkey.UserId.ToString(), new { passkey = passkey.Id, from = passkey.Name, to = name });
        passkey.Name = name;
        await db.SaveChangesAsync(ct);
        return Dto(passkey);
    }

    /// <summary>Removes a passkey for a current code or a recovery code; the last second factor takes the recovery codes and remembered devices with it.</summary>
    public async Task<Outcome<TwoFactorStatus>> RemoveAsync(Guid id, TwoFactorCodeRequest body, CancellationToken ct)
    {
        var userId = ctx.RequiredUserId;
        if (await FindAsync(id, ct) is not { } passkey) return new Outcome<TwoFactorStatus>.NotFound();
        if (await twoFactor.CheckOwnCodeAsync(userId, body, allowRecovery: true, ct) is { } refused) return refused.Cast<TwoFactorStatus>();
        db.Set<UserSecondFactor>().Remove(passkey);
        await db.SaveChangesAsync(ct); // with the recovery code it spent
        if ((await codes.MethodsAsync(userId, ct)).Count == 0) await codes.RemoveAllAsync(userId, ct);
        await twoFactor.ChangedAsync(userId, AuditActions.UserPasskeyRemoved, $"The passkey named “{passkey.Name}” was removed from your account.",
            new { method = SecondFactorMethods.WebAuthn, passkey = passkey.Id, name = passkey.Name }, ct);
        return await twoFactor.StatusAsync(ct);
    }

    private Task<UserSecondFactor?> FindAsync(Guid id, CancellationToken ct) =>
        db.Set<UserSecondFactor>().SingleOrDefaultAsync(f => f.Id == id && f.UserId == ctx.RequiredUserId && f.Method == SecondFactorMethods.WebAuthn, ct);

    private static PasskeyDto Dto(UserSecondFactor f) => new(f.Id, f.Name!, f.CreatedAt, f.LastUsedAt);
}
