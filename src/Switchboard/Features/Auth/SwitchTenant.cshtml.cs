using Microsoft.AspNetCore.Identity;
using Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Features.Auth;

/// <summary>Moves the signed-in user into another tenant: a new session for it, the old one revoked, a new cookie (enrolment-only when that tenant requires a second factor the user lacks and their grace is over).</summary>
public sealed class SwitchTenantModel(SignInService signIn, SessionStore sessions, UserManager<AppUser> users, TenantContext ctx) : AppPageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync(Guid tenantId, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(ctx.RequiredUserId.ToString());
        if (user is null) return Forbid();
        var oldSession = User.Read(SwitchboardClaims.SessionId);

        switch (await signIn.SwitchAsync(user, tenantId, "web", oldSession, ct))
        {
            case SignedIn signedIn:
                if (oldSession is { } old) await sessions.RevokeAsync(old, SessionEndReasons.SwitchedTenant, ct);
                await EnrolmentGate.SignInAsync(HttpContext, signedIn);
                Flash($"You are now working in {signedIn.Tenant?.Name}.");
                // A workspace that requires a second factor the user lacks walks them through enrolment, as sign-in does.
                return LocalRedirect(signedIn.MfaEnrolment is null ? "/" : EnrolmentGate.PagePath + "?walkthrough=true");
            case TenantUnavailable unavailable:
                Flash(unavailable.Message, FlashKind.Error);
                break;
            default:
                Flash("That workspace is not available.", FlashKind.Error);
                break;
        }
        return LocalRedirect(ctx.TenantId is null ? "/tenants" : "/");
    }
}
