using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Switchboard.Features.Auth;

[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class ResetPasswordModel(ResetPassword reset, Passwords passwords) : AppPageModel
{
    public const string Changed = "Your password was changed; sign in with it.";

    [BindProperty(SupportsGet = true)] public string? Token { get; set; }

    /// <summary>Arrived from the sign-in page because the password has expired (not from an email link).</summary>
    [BindProperty(SupportsGet = true)] public bool Expired { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }

    public bool LinkWorks { get; private set; } = true;

    public string Hint { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct) => await LinkAsync(ct);

    /// <summary>Whether the link works, and the rules of the account it resets.</summary>
    private async Task LinkAsync(CancellationToken ct)
    {
        var userId = await reset.UserOfLinkAsync(Token, ct);
        LinkWorks = userId is not null;
        if (userId is not null) Hint = (await passwords.RulesForAsync(userId, null, ct)).Hint;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(Password) && Password != ConfirmPassword)
        {
            AddError("confirmPassword", "The two passwords are not the same.");
            return Page();
        }
        var outcome = await reset.ResetAsync(new ResetPasswordRequest(Token, Password), ct);
        if (outcome is Outcome<bool>.Ok)
        {
            // This browser's own session, if it had one, ended with all the others.
            await HttpContext.SignOutAsync(SwitchboardClaims.WebScheme);
            Flash(Changed);
            return LocalRedirect("/signin");
        }
        ShowProblem(outcome);
        await LinkAsync(ct);
        return Page();
    }
}
