using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;

namespace Switchboard.Platform.Identity;

public sealed record TokenPair(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType, Guid? TenantId);

/// <summary>
/// Issues API access tokens: short-lived, protected by ASP.NET Core Data Protection (the key ring is
/// shared through PostgreSQL), carrying only user, tenant and session ids. Everything else — role,
/// active flags, revocation — is checked against the database on every request.
/// </summary>
[Scoped]
public sealed class AccessTokens(IOptionsMonitor<BearerTokenOptions> options, SessionStore sessions, TimeProvider clock)
{
    public TokenPair Issue(UserSession session)
    {
        var bearer = options.Get(SwitchboardClaims.ApiScheme);
        var now = clock.GetUtcNow();
        var principal = SwitchboardClaims.Principal(session.UserId, session.TenantId, session.Id, SwitchboardClaims.ApiScheme);
        var ticket = new AuthenticationTicket(principal,
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + bearer.BearerTokenExpiration },
            SwitchboardClaims.ApiScheme);
        var refresh = sessions.IssueRefreshToken(session.Id);
        return new TokenPair(bearer.BearerTokenProtector.Protect(ticket), refresh,
            (int)bearer.BearerTokenExpiration.TotalSeconds, "Bearer", session.TenantId);
    }
}
