using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Switchboard.Features.Auth;

/// <summary>Moves the signed-in user into another tenant: a new session for it, the old one revoked, a new cookie.</summary>
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
                var principal = SwitchboardClaims.Principal(user.Id, signedIn.Tenant?.Id, signedIn.Session.Id, SwitchboardClaims.WebScheme);
                await HttpContext.SignInAsync(SwitchboardClaims.WebScheme, principal);
                Flash($"You are now working in {signedIn.Tenant?.Name}.");
                return LocalRedirect("/");
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
