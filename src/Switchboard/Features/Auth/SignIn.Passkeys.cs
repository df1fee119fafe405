using Fido2NetLib;
using Switchboard.Features.TwoFactor;
using Switchboard.Platform.Identity.Passkeys;
using Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Features.Auth;

/// <summary>
/// The sign-in page's passkeys (ADR 0050): "Sign in with a passkey" (no email: the browser offers the passkeys it holds
/// for this site) and "Use a passkey" at the second step. passkeys.js fetches the options from the *Options handlers,
/// asks the browser, and posts the answer in <see cref="Credential"/>.
/// </summary>
public sealed partial class SignInModel
{
    public const string PasskeyRefused = "The passkey was not accepted. Try again, or sign in with your email and password.";

    /// <summary>The second step's methods, as the first step listed them (e.g. "totp,webauthn,recovery-code").</summary>
    [BindProperty] public string? Methods { get; set; }
    [BindProperty] public string? Credential { get; set; }

    public bool OfferPasskey => Methods?.Split(',').Contains(SecondFactorMethods.WebAuthn) == true;
    public bool OfferTotp => Methods?.Split(',').Contains(SecondFactorMethods.Totp) != false;

    public async Task<IActionResult> OnPostPasskeyOptionsAsync([FromServices] PasskeySignIn passwordless, CancellationToken ct) =>
        Content(await passwordless.OptionsAsync(ct), "application/json");

    public async Task<IActionResult> OnPostMfaPasskeyOptionsAsync([FromServices] SecondFactorSignIn secondFactor, CancellationToken ct) =>
        await secondFactor.PasskeyOptionsAsync(MfaToken, "web", ct) is { } options
            ? Content(options, "application/json")
            : new JsonResult(new { title = "Unauthorized", status = 401, detail = SecondFactorRejected.Expired }) { StatusCode = 401, ContentType = "application/problem+json" };

    public async Task<IActionResult> OnPostPasskeyAsync([FromServices] PasskeySignIn passwordless, CancellationToken ct)
    {
        var assertion = PasskeyJson.Read<AuthenticatorAssertionRawResponse>(Credential);
        Credential = null;
        switch (assertion is null ? new InvalidCredentials() : await passwordless.SignInAsync(assertion, null, "web", ct))
        {
            case SignedIn signedIn:
                return await EnterAsync(signedIn);
            case TenantUnavailable unavailable:
                FormError = unavailable.Message;
                break;
            default:
                FormError = PasskeyRefused;
                break;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostPasskeyCodeAsync([FromServices] SecondFactorSignIn secondFactor, CancellationToken ct)
    {
        var assertion = PasskeyJson.Read<AuthenticatorAssertionRawResponse>(Credential);
        Credential = null;
        if (assertion?.Response is null)
        {
            AddError("code", SecondFactorRejected.WrongPasskey);
            return Page();
        }
        var outcome = await secondFactor.CompleteAsync(MfaToken, null, "web", rememberDevice: false, Request.Headers.UserAgent, ct, assertion);
        return await AnswerSecondStepAsync(outcome);
    }
}
