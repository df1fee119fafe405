using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;

namespace Switchboard.Features.Sso;

/// <summary>
/// One sign-in's secrets between the redirect to the provider and its return: which tenant, state, nonce, PKCE verifier;
/// and the invitation being accepted through the provider, when that is what started it.
/// </summary>
public sealed record OidcFlowState(Guid TenantId, string State, string Nonce, string CodeVerifier, string? ReturnUrl, string? Invitation = null)
{
    public static OidcFlowState New(Guid tenantId, string? returnUrl, string? invitation = null) => new(tenantId, Random(), Random(), Random(), returnUrl, invitation);

    /// <summary>256 random bits, base64url: a state, a nonce, or a PKCE verifier (43 characters, within RFC 7636's 43–128).</summary>
    private static string Random() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
}

/// <summary>
/// Keeps a sign-in's <see cref="OidcFlowState"/> in the browser that started it: a cookie sealed with Data Protection,
/// valid ten minutes, read once. The callback accepts a code only with the cookie whose state the provider echoed, so
/// a code sent to another browser (login CSRF) or a replayed callback finds nothing.
/// </summary>
[Singleton]
public sealed class SsoFlowCookie(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Name = "switchboard.sso";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Switchboard.Sso.Flow.v1").ToTimeLimitedDataProtector();

    public void Write(HttpContext http, OidcFlowState flow) =>
        http.Response.Cookies.Append(Name, _protector.Protect(JsonSerializer.Serialize(flow), clock.GetUtcNow() + Lifetime), Options(http));

    /// <summary>The flow the browser started, when <paramref name="state"/> is the one it sent; the cookie is gone afterwards either way.</summary>
    public OidcFlowState? Take(HttpContext http, string? state)
    {
        var sealedFlow = http.Request.Cookies[Name];
        http.Response.Cookies.Delete(Name, Options(http));
        if (sealedFlow is null || string.IsNullOrEmpty(state)) return null;
        OidcFlowState? flow;
        try
        {
            flow = JsonSerializer.Deserialize<OidcFlowState>(_protector.Unprotect(sealedFlow));
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null;
        }
        return flow is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(flow.State), Encoding.UTF8.GetBytes(state)) ? flow : null;
    }

    // Lax: the provider's redirect back is a top-level GET, which carries it.
    private static CookieOptions Options(HttpContext http) => new()
    {
        HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, Path = "/sso", MaxAge = Lifetime, IsEssential = true,
    };
}
