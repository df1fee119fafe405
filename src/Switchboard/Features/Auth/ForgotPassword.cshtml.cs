using Microsoft.AspNetCore.Authorization;

namespace Switchboard.Features.Auth;

[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class ForgotPasswordModel(ForgotPassword forgot) : AppPageModel
{
    [BindProperty] public string? Email { get; set; }

    /// <summary>Set once the request was taken: the same words whether or not the address has an account.</summary>
    public string? Answer { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await forgot.RequestAsync(new ForgotPasswordRequest(Email), ct);
        if (outcome is Outcome<ForgotPasswordAnswer>.Ok ok) Answer = ok.Value.Message;
        else ShowProblem(outcome);
        return Page();
    }
}
