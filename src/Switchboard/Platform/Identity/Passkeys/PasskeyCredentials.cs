using System.Security.Cryptography;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Platform.Identity.Passkeys;

/// <summary>Why an assertion was refused, as audited (the "reason" of user.second-factor-failed and user.sign-in-failed).</summary>
public static class PasskeyFailures
{
    public const string NoCeremony = "passkey-expired";
    public const string UnknownPasskey = "passkey-unknown";
    public const string Rejected = "passkey-rejected";
    public const string CounterRegression = "passkey-counter-regression";
}

/// <summary>An assertion checked: the passkey it was made with when it was accepted, else why not (and whose passkey, when known).</summary>
public sealed record PasskeyCheck(UserSecondFactor? Passkey, Guid? UserId, string? Failure)
{
    public bool Ok => Failure is null;
}

/// <summary>
/// A person's passkeys (ADR 0050) through the Fido2 library: options to create one (resident key, so it can sign in
/// without an email; attestation "none": we trust the user's choice of authenticator, not its maker), verifying the
/// browser's attestation, options to use them, and verifying an assertion (signature, origin, RP ID, challenge, user
/// verification when asked, and a signature counter that never goes back). Changes join the caller's unit of work.
/// </summary>
[Scoped]
public sealed class PasskeyCredentials(SwitchboardDbContext db, RelyingParty relyingParty, PasskeyCeremonies ceremonies, TimeProvider clock)
{
    public Task<List<UserSecondFactor>> ListAsync(Guid userId, CancellationToken ct) =>
        db.Set<UserSecondFactor>().Where(f => f.UserId == userId && f.Method == SecondFactorMethods.WebAuthn).OrderBy(f => f.CreatedAt).ToListAsync(ct);

    /// <summary>The options (JSON) for navigator.credentials.create, kept as a ceremony of the user.</summary>
    public async Task<string> CreationOptionsAsync(AppUser user, CancellationToken ct)
    {
        var existing = await ListAsync(user.Id, ct);
        var options = relyingParty.Verifier().RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = await HandleAsync(user.Id, ct), Name = user.Email!, DisplayName = user.DisplayName },
            ExcludeCredentials = existing.Select(Descriptor).ToList(),
            AuthenticatorSelection = new AuthenticatorSelection { ResidentKey = ResidentKeyRequirement.Required, UserVerification = UserVerificationRequirement.Preferred },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        var json = options.ToJson();
        await ceremonies.StartAsync(PasskeyPurposes.Register, user.Id, options.Challenge, json, ct);
        return json;
    }

    /// <summary>Verifies the browser's answer to <see cref="CreationOptionsAsync"/> and adds the passkey (unsaved); null with the reason when refused.</summary>
    public async Task<(UserSecondFactor? Passkey, string? Problem)> CreateAsync(Guid userId, AuthenticatorAttestationRawResponse response, string name, CancellationToken ct)
    {
        if (await ceremonies.TakeAsync(response.Response?.ClientDataJson, PasskeyPurposes.Register, userId, ct) is not { } json)
            return (null, "This passkey request has expired or was already used. Try again.");
        RegisteredPublicKeyCredential credential;
        try
        {
            credential = await relyingParty.Verifier().MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = response,
                OriginalOptions = CredentialCreateOptions.FromJson(json),
                IsCredentialIdUniqueToUserCallback = async (p, c) =>
                    !await db.Set<UserSecondFactor>().AnyAsync(f => f.CredentialId == p.CredentialId, c),
            }, ct);
        }
        catch (Fido2VerificationException e)
        {
            return (null, e.Code == Fido2NetLib.Exceptions.Fido2ErrorCode.NonUniqueCredentialId
                ? "This passkey is already registered." : "The browser's answer could not be verified. Try again.");
        }
        var now = clock.GetUtcNow();
        var passkey = new UserSecondFactor
        {
            Id = Guid.CreateVersion7(), UserId = userId, Method = SecondFactorMethods.WebAuthn, Name = name, CredentialId = credential.Id,
            PublicKey = credential.PublicKey, SignCount = credential.SignCount, Aaguid = credential.AaGuid,
            Transports = credential.Transports?.Select(TransportName).ToArray(), CreatedAt = now, ConfirmedAt = now,
        };
        db.Set<UserSecondFactor>().Add(passkey);
        return (passkey, null);
    }

    /// <summary>
    /// The options (JSON) for navigator.credentials.get: for a second factor, the user's passkeys (user verification
    /// preferred: the password was the other factor); for a passwordless sign-in, any passkey of ours, with user verification required.
    /// </summary>
    public async Task<string> AssertionOptionsAsync(Guid? userId, CancellationToken ct)
    {
        var allowed = userId is { } id ? (await ListAsync(id, ct)).Select(Descriptor).ToList() : [];
        var options = relyingParty.Verifier().GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = allowed,
            UserVerification = userId is null ? UserVerificationRequirement.Required : UserVerificationRequirement.Preferred,
        });
        var json = options.ToJson();
        await ceremonies.StartAsync(userId is null ? PasskeyPurposes.Passwordless : PasskeyPurposes.SecondFactor, userId, options.Challenge, json, ct);
        return json;
    }

    /// <summary>
    /// Checks an assertion against its ceremony and the stored passkey (of <paramref name="userId"/> when given); on
    /// success the passkey's counter and last use move on (saved by the caller, racing answers lose on the counter).
    /// </summary>
    public async Task<PasskeyCheck> VerifyAsync(AuthenticatorAssertionRawResponse? response, Guid? userId, CancellationToken ct)
    {
        var purpose = userId is null ? PasskeyPurposes.Passwordless : PasskeyPurposes.SecondFactor;
        if (response?.Response is null || response.RawId is not { Length: > 0 and <= 1023 } credentialId) return new(null, userId, PasskeyFailures.Rejected);
        var json = await ceremonies.TakeAsync(response.Response.ClientDataJson, purpose, userId, ct);
        var passkeys = db.Set<UserSecondFactor>().Where(f => f.CredentialId == credentialId && f.Method == SecondFactorMethods.WebAuthn);
        if (userId is { } owner) passkeys = passkeys.Where(f => f.UserId == owner);
        var passkey = await passkeys.SingleOrDefaultAsync(ct);
        if (json is null) return new(null, passkey?.UserId ?? userId, PasskeyFailures.NoCeremony);
        if (passkey is null) return new(null, userId, PasskeyFailures.UnknownPasskey);
        try
        {
            var result = await relyingParty.Verifier().MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = response,
                OriginalOptions = AssertionOptions.FromJson(json),
                StoredPublicKey = passkey.PublicKey!,
                StoredSignatureCounter = (uint)(passkey.SignCount ?? 0),
                IsUserHandleOwnerOfCredentialIdCallback = async (p, c) =>
                    await db.Set<WebAuthnUserHandle>().AnyAsync(h => h.UserId == passkey.UserId && h.Handle == p.UserHandle, c),
            }, ct);
            passkey.SignCount = result.SignCount;
            passkey.LastUsedAt = clock.GetUtcNow();
            return new(passkey, passkey.UserId, null);
        }
        catch (Fido2VerificationException e)
        {
            return new(null, passkey.UserId, e.Code == Fido2NetLib.Exceptions.Fido2ErrorCode.InvalidSignCount ? PasskeyFailures.CounterRegression : PasskeyFailures.Rejected);
        }
    }

    /// <summary>The user's handle, made (32 random bytes) and saved the first time they add a passkey.</summary>
    private async Task<byte[]> HandleAsync(Guid userId, CancellationToken ct)
    {
        if (await db.Set<WebAuthnUserHandle>().AsNoTracking().SingleOrDefaultAsync(h => h.UserId == userId, ct) is { } known) return known.Handle;
        var handle = new WebAuthnUserHandle { UserId = userId, Handle = RandomNumberGenerator.GetBytes(32), CreatedAt = clock.GetUtcNow() };
        db.Set<WebAuthnUserHandle>().Add(handle);
        await db.SaveChangesAsync(ct);
        return handle.Handle;
    }

    private static PublicKeyCredentialDescriptor Descriptor(UserSecondFactor passkey) =>
        new(PublicKeyCredentialType.PublicKey, passkey.CredentialId!, passkey.Transports?.Select(ParseTransport).OfType<AuthenticatorTransport>().ToArray());

    private static readonly IReadOnlyDictionary<AuthenticatorTransport, string> TransportNames = new Dictionary<AuthenticatorTransport, string>
    {
        [AuthenticatorTransport.Usb] = "usb", [AuthenticatorTransport.Nfc] = "nfc", [AuthenticatorTransport.Ble] = "ble",
        [AuthenticatorTransport.SmartCard] = "smart-card", [AuthenticatorTransport.Hybrid] = "hybrid", [AuthenticatorTransport.Internal] = "internal",
    };

    private static string TransportName(AuthenticatorTransport transport) => TransportNames[transport];

    private static AuthenticatorTransport? ParseTransport(string name) => TransportNames.FirstOrDefault(t => t.Value == name) is { Value: not null } t ? t.Key : null;
}
