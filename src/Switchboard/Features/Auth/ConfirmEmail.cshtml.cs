using Microsoft.AspNetCore.Authorization;

namespace Switchboard.Features.Auth;

/// <summary>
/// Where the link sent to a new address lands. Opening it only shows the address; the change needs the button (a POST),
/// so mail scanners that fetch links cannot spend it.
/// </summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class ConfirmEmailModel(ChangeEmail change) : AppPageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }

    public string? NewEmail { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        NewEmail = await change.PendingAddressAsync(Token, ct);
        if (NewEmail is null) FormError = ChangeEmail.InvalidLink;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await change.ConfirmAsync(new ConfirmEmailRequest(Token), ct);
        if (outcome is Outcome<string>.Ok ok)
        {
            var signedIn = User.Identity?.IsAuthenticated == true;
            Flash(signedIn ? $"Your email address is now {ok.Value}." : $"Your email address is now {ok.Value}; sign in with it.");
            return LocalRedirect(signedIn ? "/profile" : "/signin");
        }
        FormError = outcome.Problem;
        return Page();
    }
}
