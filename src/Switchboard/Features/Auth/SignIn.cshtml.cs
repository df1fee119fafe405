using Switchboard.Features.TwoFactor;
using Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Features.Auth;

[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Switchboard.Platform.Web.SignInRateLimit.Policy)]
public sealed partial class SignInModel(SignInService signIn) : AppPageModel
{
    public const string WrongCredentials = "The email or password is incorrect.";

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? TenantSlug { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty(SupportsGet = true)] public string? Blocked { get; set; }

    // The second step (ADR 0045): the challenge of the first, a code, and whether to remember this browser.
    [BindProperty] public string? MfaToken { get; set; }
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public bool RememberDevice { get; set; }
    public bool AskingForCode => MfaToken is not null;

    public IActionResult OnGet()
    {
        if (User.Identity?.IsAuthenticated == true && Blocked is null) return RedirectToLocal(ReturnUrl, "/");
        FormError = Blocked;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Email)) AddError("email", "Enter your email address.");
        if (string.IsNullOrEmpty(Password)) AddError("password", "Enter your password.");
        if (HasErrors) return Page();

        var slug = string.IsNullOrWhiteSpace(TenantSlug) ? null : TenantSlug.Trim().ToLowerInvariant();
        switch (await signIn.SignInAsync(Email!.Trim(), Password!, slug, "web", ct, Request.Cookies[RememberedDevices.CookieName]))
        {
            case SignedIn signedIn:
                return await EnterAsync(signedIn);
            case SecondFactorRequired challenge:
                MfaToken = challenge.MfaToken;
                Methods = string.Join(',', challenge.Methods);
                break;
            case TenantUnavailable unavailable:
                FormError = unavailable.Message;
                break;
            case PasswordExpired expired:
                return LocalRedirect("/reset-password?expired=true&token=" + Uri.EscapeDataString(expired.ResetToken));
            default:
                FormError = WrongCredentials;
                break;
        }
        Password = null;
        return Page();
    }

    public async Task<IActionResult> OnPostCodeAsync([FromServices] SecondFactorSignIn secondFactor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Code))
        {
            AddError("code", "Enter the code from your authenticator app.");
            return Page();
        }
        var outcome = await secondFactor.CompleteAsync(MfaToken, Code, "web", RememberDevice, Request.Headers.UserAgent, ct);
        Code = null;
        return await AnswerSecondStepAsync(outcome);
    }

    /// <summary>The page's answer to the second step, whether a code or a passkey gave it.</summary>
    private async Task<IActionResult> AnswerSecondStepAsync(SecondFactorOutcome outcome)
    {
        switch (outcome.Result)
        {
            case SignedIn signedIn:
                if (outcome.DeviceCookie is { } device)
                    Response.Cookies.Append(RememberedDevices.CookieName, device, RememberedDevices.CookieOptions(Request, DateTimeOffset.UtcNow + RememberedDevices.Lifetime));
                if (outcome.RecoveryCodesLeft is { } left)
                    Flash($"You signed in with a recovery code; it cannot be used again. {left} recovery code{(left == 1 ? "" : "s")} left." +
                          (left <= 3 ? " Make new ones on your profile." : ""), FlashKind.Info);
                return await EnterAsync(signedIn);
            case SecondFactorRejected { SignInAgain: false } wrong:
                AddError("code", wrong.Message);
                return Page();
            case SecondFactorRejected over:
                FormError = over.Message;
                break;
            case TenantUnavailable unavailable:
                FormError = unavailable.Message;
                break;
        }
        MfaToken = null;
        return Page();
    }

    /// <summary>Signs the browser in; someone whose tenant wants a second factor they lack is walked through enrolment first.</summary>
    private async Task<IActionResult> EnterAsync(SignedIn signedIn)
    {
        await EnrolmentGate.SignInAsync(HttpContext, signedIn);
        if (signedIn.MfaEnrolment is not null) return LocalRedirect(EnrolmentGate.PagePath + "?walkthrough=true");
        return RedirectToLocal(ReturnUrl, signedIn.Tenant is null ? "/tenants" : "/");
    }
}
