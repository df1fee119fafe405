using System.Net;
using System.Security.Cryptography;

namespace Switchboard.Platform.Observability;

/// <summary>
/// Who may read /metrics (ADR 0063): a request from this machine that no proxy forwarded, or one that carries
/// Observability:MetricsToken as a bearer token (compared in constant time). Anyone else gets 404 when no token is
/// configured (the endpoint does not exist for them), else 401.
/// </summary>
public static class MetricsGate
{
    public enum Verdict { Allowed, Unauthorized, NotFound }

    public static Verdict Judge(IPAddress? remote, bool forwarded, string? authorization, string? token)
    {
        if (remote is not null && IPAddress.IsLoopback(remote) && !forwarded) return Verdict.Allowed;
        if (string.IsNullOrEmpty(token)) return Verdict.NotFound;
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return Verdict.Unauthorized;
        // Hashes first, so the comparison takes the same time whatever the lengths.
        var offered = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return CryptographicOperations.FixedTimeEquals(offered, expected) ? Verdict.Allowed : Verdict.Unauthorized;
    }

    /// <summary>The branch's first middleware: answers for the exporter when the caller may not read it.</summary>
    public static void Use(IApplicationBuilder branch) => branch.Use(async (http, next) =>
    {
        var token = http.RequestServices.GetRequiredService<IOptions<ObservabilityOptions>>().Value.MetricsToken;
        // UseForwardedHeaders has already replaced the remote address with a trusted proxy's client; a proxy that is
        // not trusted still leaves its header, and its request must not pass as local.
        var forwarded = http.Request.Headers.ContainsKey("X-Forwarded-For") || http.Request.Headers.ContainsKey("Forwarded")
                        || http.Request.Headers.ContainsKey("X-Original-For");
        switch (Judge(http.Connection.RemoteIpAddress, forwarded, http.Request.Headers.Authorization, token))
        {
            case Verdict.Allowed:
                await next(http);
                return;
            case Verdict.Unauthorized:
                http.Response.Headers.WWWAuthenticate = "Bearer";
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            default:
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
        }
    });
}
