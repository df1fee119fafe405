using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace Switchboard.Platform.Identity;

/// <summary>
/// The X-Api-Key scheme (ADR 0043). Authentication only reads the header: a well-formed key becomes a principal that
/// carries its prefix and hash, and <see cref="TenantResolutionMiddleware"/> checks it against the database in the
/// same single round trip that opens the request's connection, as it checks a session. A malformed key fails here.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string InvalidKey = "The API key is not valid: check the X-Api-Key header (keys look like sb_live_…).";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!ApiKeySecrets.TryRead(Request.Headers[ApiKeySecrets.Header].ToString(), out var prefix, out var hash))
            return Task.FromResult(AuthenticateResult.Fail(InvalidKey));
        var identity = new ClaimsIdentity([new Claim(SwitchboardClaims.ApiKeyPrefix, prefix), new Claim(SwitchboardClaims.ApiKeyHash, Convert.ToHexStringLower(hash))],
            Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status401Unauthorized, "Unauthorized", InvalidKey);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Forbidden", "This API key may not call this endpoint.");
}

public static class ApiKeyPrincipals
{
    /// <summary>The prefix and hash of the API key a principal was made from, when it was.</summary>
    public static bool TryReadApiKey(this ClaimsPrincipal principal, out string prefix, out byte[] hash)
    {
        prefix = principal.FindFirstValue(SwitchboardClaims.ApiKeyPrefix) ?? "";
        var hex = principal.FindFirstValue(SwitchboardClaims.ApiKeyHash);
        hash = hex is null ? [] : Convert.FromHexString(hex);
        return prefix.Length > 0 && hash.Length > 0;
    }
}
