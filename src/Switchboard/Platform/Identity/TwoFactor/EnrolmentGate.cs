using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Switchboard.Platform.Identity.TwoFactor;

/// <summary>
/// A browser session opened for someone whose tenant requires a second factor they have not set up, past their grace
/// period, carries <see cref="Claim"/>: it reaches only the enrolment page and sign-out until enrolment is confirmed,
/// which signs the browser in again without it (ADR 0045). The cookie is signed, so the claim cannot be removed.
/// </summary>
public sealed class EnrolmentGate(RequestDelegate next)
{
    public const string Claim = "mfa-enrol";
    public const string PagePath = "/profile/two-factor";
    private static readonly string[] Open = [PagePath, "/signout", "/signin", "/error", "/forbidden"];

    public Task InvokeAsync(HttpContext http)
    {
        if (!http.User.HasClaim(c => c.Type == Claim) || Open.Any(p => http.Request.Path.StartsWithSegments(p))) return next(http);
        http.Response.Redirect(PagePath);
        return Task.CompletedTask;
    }

    /// <summary>Signs the browser in with a session of <paramref name="signedIn"/>; enrolment-only when its grace is over.</summary>
    public static Task SignInAsync(HttpContext http, SignedIn signedIn)
    {
        var principal = SwitchboardClaims.Principal(signedIn.User.Id, signedIn.Tenant?.Id, signedIn.Session.Id, SwitchboardClaims.WebScheme);
        if (signedIn.MfaEnrolment is { GraceOver: true }) ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(Claim, "true"));
        return http.SignInAsync(SwitchboardClaims.WebScheme, principal);
    }

    /// <summary>After enrolment: the same session, without the restriction.</summary>
    public static Task LiftAsync(HttpContext http)
    {
        if (!http.User.HasClaim(c => c.Type == Claim) || http.User.Read(SwitchboardClaims.UserId) is not { } user || http.User.Read(SwitchboardClaims.SessionId) is not { } session)
            return Task.CompletedTask;
        return http.SignInAsync(SwitchboardClaims.WebScheme,
            SwitchboardClaims.Principal(user, http.User.Read(SwitchboardClaims.TenantId), session, SwitchboardClaims.WebScheme));
    }
}
