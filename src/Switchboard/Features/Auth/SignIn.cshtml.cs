using Microsoft.AspNetCore.Authentication;

namespace Switchboard.Features.Auth;

[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Switchboard.Platform.Web.SignInRateLimit.Policy)]
public sealed class SignInModel(SignInService signIn) : AppPageModel
{
    public const string WrongCredentials = "The email or password is incorrect.";

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? TenantSlug { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty(SupportsGet = true)] public string? Blocked { get; set; }

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
        switch (await signIn.SignInAsync(Email!.Trim(), Password!, slug, "web", ct))
        {
            case SignedIn signedIn:
                var principal = SwitchboardClaims.Principal(signedIn.User.Id, signedIn.Tenant?.Id, signedIn.Session.Id, SwitchboardClaims.WebScheme);
                await HttpContext.SignInAsync(SwitchboardClaims.WebScheme, principal);
                return RedirectToLocal(ReturnUrl, signedIn.Tenant is null ? "/tenants" : "/");
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
}
