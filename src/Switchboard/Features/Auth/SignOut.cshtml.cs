using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Switchboard.Features.Auth;

public sealed class SignOutModel(SessionStore sessions) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (User.Read(SwitchboardClaims.SessionId) is { } sessionId) await sessions.RevokeAsync(sessionId, SessionEndReasons.SignedOut, ct);
        await HttpContext.SignOutAsync(SwitchboardClaims.WebScheme);
        return LocalRedirect("/signin");
    }
}
