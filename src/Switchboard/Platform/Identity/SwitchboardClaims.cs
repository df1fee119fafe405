using System.Security.Claims;

namespace Switchboard.Platform.Identity;

public static class SwitchboardClaims
{
    public const string UserId = "sub";
    public const string TenantId = "tid";
    public const string SessionId = "sid";
    public const string ApiKeyPrefix = "akp";
    public const string ApiKeyHash = "akh";

    public const string WebScheme = "switchboard-web";
    public const string ApiScheme = "switchboard-api";
    public const string ApiKeyScheme = "switchboard-api-key";

    public static ClaimsPrincipal Principal(Guid userId, Guid? tenantId, Guid sessionId, string scheme)
    {
        var claims = new List<Claim> { new(UserId, userId.ToString()), new(SessionId, sessionId.ToString()) };
        if (tenantId is { } t) claims.Add(new Claim(TenantId, t.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, UserId, null));
    }

    public static Guid? Read(this ClaimsPrincipal principal, string type) =>
        Guid.TryParse(principal.FindFirstValue(type), out var value) ? value : null;
}
