using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Switchboard.Features.Sso;

/// <summary>
/// The redirect URI registered at every provider (<see cref="SsoPaths.Callback"/>): takes the flow's cookie, lets
/// <see cref="SsoSignIn"/> redeem the code, and signs the browser in, or shows why not (403, never a stack trace).
/// </summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class SsoCallbackModel(SsoSignIn sso, SsoFlowCookie cookie) : AppPageModel
{
    public async Task<IActionResult> OnGetAsync(string? code, string? state, string? error, CancellationToken ct)
    {
        var flow = cookie.Take(HttpContext, state);
        switch (await sso.FinishAsync(flow, code, error, ct))
        {
            case SsoFinish.Done done:
                var signedIn = done.SignedIn;
                var principal = SwitchboardClaims.Principal(signedIn.User.Id, signedIn.Tenant?.Id, signedIn.Session.Id, SwitchboardClaims.WebScheme);
                await HttpContext.SignInAsync(SwitchboardClaims.WebScheme, principal);
                return RedirectToLocal(done.ReturnUrl, "/");
            case SsoFinish.Refused refused:
                FormError = refused.Message;
                break;
        }
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
