using Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Features.TwoFactor;

/// <summary>
/// /profile/two-factor: a person's own two-factor sign-in, through the same service as the API. Set up an
/// authenticator app (QR code and the key to type in), confirm it with a code (recovery codes shown this once, to copy
/// or download), make new recovery codes, turn it off. Also the walk-through after sign-in when the workspace requires
/// it: skippable during the grace period, the only page a session past it can reach (<see cref="EnrolmentGate"/>).
/// Passkeys (ADR 0050) are added, renamed and removed here too (passkeys.js runs the browser's side).
/// </summary>
public sealed class ManageModel(TwoFactorService twoFactor, PasskeyService passkeys, TenantContext ctx) : AppPageModel
{
    public TenantSettings? Tenant => ctx.Tenant;

    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public bool Walkthrough { get; set; }

    public TwoFactorStatus Status { get; private set; } = null!;
    public TotpEnrolment? Pending { get; private set; }
    public string? QrDataUri { get; private set; }
    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }
    public IReadOnlyList<PasskeyDto> Passkeys { get; private set; } = [];

    // A passkey being added (its name and the browser's answer), renamed or removed.
    [BindProperty] public string? PasskeyName { get; set; }
    [BindProperty] public string? Credential { get; set; }
    [BindProperty] public Guid PasskeyId { get; set; }

    /// <summary>The session may only enrol: the workspace's grace period is over.</summary>
    public bool EnrolmentOnly => User.HasClaim(c => c.Type == EnrolmentGate.Claim);

    /// <summary>The authenticator app is confirmed (the account may have passkeys without it).</summary>
    public bool TotpOn => Status.Methods.Contains(SecondFactorMethods.Totp);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await PageAsync(ct);

    public async Task<IActionResult> OnPostStartAsync(CancellationToken ct)
    {
        if (await twoFactor.BeginTotpAsync(ct) is { Problem: { } problem }) Flash(problem, FlashKind.Error);
        return LocalRedirect(EnrolmentGate.PagePath + (Walkthrough ? "?walkthrough=true" : ""));
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken ct)
    {
        switch (await twoFactor.ConfirmTotpAsync(new TwoFactorCodeRequest(Code), ct))
        {
            case Outcome<RecoveryCodesDto>.Ok ok:
                await EnrolmentGate.LiftAsync(HttpContext);
                NewRecoveryCodes = ok.Value.RecoveryCodes;
                Flash("Two-factor sign-in is on. From now on you enter a code from your authenticator app when you sign in.");
                break;
            case var refused:
                Refuse(refused);
                break;
        }
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync(CancellationToken ct)
    {
        if (await twoFactor.RegenerateRecoveryCodesAsync(new TwoFactorCodeRequest(Code), ct) is Outcome<RecoveryCodesDto>.Ok ok) NewRecoveryCodes = ok.Value.RecoveryCodes;
        else AddError("regenerateCode", "The code is not right. Enter the current code from your authenticator app.");
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken ct)
    {
        var outcome = await twoFactor.DisableAsync(new TwoFactorCodeRequest(Code), ct);
        if (outcome is not Outcome<TwoFactorStatus>.Ok)
        {
            AddError("disableCode", outcome.Problem ?? "");
            return await PageAsync(ct);
        }
        Flash("Two-factor sign-in is off. Your recovery codes and remembered devices no longer work.");
        return LocalRedirect(EnrolmentGate.PagePath);
    }

    /// <summary>The options for navigator.credentials.create, fetched by passkeys.js before it asks the browser.</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync(CancellationToken ct) => Content(await passkeys.BeginAsync(ct), "application/json");

    public async Task<IActionResult> OnPostPasskeyAddAsync(CancellationToken ct)
    {
        var credential = PasskeyJson.Read<Fido2NetLib.AuthenticatorAttestationRawResponse>(Credential);
        switch (await passkeys.FinishAsync(new PasskeyFinishRequest(PasskeyName, credential), ct))
        {
            case Outcome<PasskeyAdded>.Ok ok:
                await EnrolmentGate.LiftAsync(HttpContext);
                NewRecoveryCodes = ok.Value.RecoveryCodes;
                Flash($"Passkey “{ok.Value.Passkey.Name}” added. You can sign in with it, and it counts as your second factor.");
                if (NewRecoveryCodes is null) return LocalRedirect(EnrolmentGate.PagePath);
                break;
            case Outcome<PasskeyAdded>.Invalid invalid:
                AddError("passkeyName", string.Join(" ", invalid.Errors.Values.SelectMany(m => m)));
                break;
        }
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostPasskeyRenameAsync(CancellationToken ct)
    {
        var outcome = await passkeys.RenameAsync(PasskeyId, new PasskeyRenameRequest(PasskeyName), ct);
        if (outcome is Outcome<PasskeyDto>.Ok) return LocalRedirect(EnrolmentGate.PagePath);
        AddError($"rename-{PasskeyId}", outcome is Outcome<PasskeyDto>.Invalid invalid ? invalid.Summary : "That passkey no longer exists.");
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostPasskeyRemoveAsync(CancellationToken ct)
    {
        var outcome = await passkeys.RemoveAsync(PasskeyId, new TwoFactorCodeRequest(Code), ct);
        if (outcome is Outcome<TwoFactorStatus>.Ok)
        {
            Flash("Passkey removed.");
            return LocalRedirect(EnrolmentGate.PagePath);
        }
        AddError($"remove-{PasskeyId}", outcome is Outcome<TwoFactorStatus>.Invalid invalid ? invalid.Summary : outcome.Problem ?? "That passkey no longer exists.");
        return await PageAsync(ct);
    }

    private void Refuse<T>(Outcome<T> outcome)
    {
        if (outcome is Outcome<T>.Invalid invalid) AddError("code", invalid.Summary);
        else FormError = outcome.Problem;
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        Code = null;
        Credential = null;
        Status = await twoFactor.StatusAsync(ct);
        Passkeys = await passkeys.ListAsync(ct);
        Pending = TotpOn ? null : await twoFactor.PendingAsync(ct);
        QrDataUri = Pending is null ? null : TotpSecrets.QrDataUri(Pending.OtpauthUri);
        return Page();
    }

    /// <summary>The recovery codes as the downloaded file holds them.</summary>
    public string RecoveryFile => "Switchboard recovery codes. Each works once, in place of an authenticator code.\n\n" + string.Join("\n", NewRecoveryCodes ?? []) + "\n";

    /// <summary>The manual key in groups of four, easier to type.</summary>
    public static string Grouped(string secret) => string.Join(' ', secret.Chunk(4).Select(c => new string(c)));
}
