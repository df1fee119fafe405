using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Switchboard.Features.Telephony;

/// <summary>
/// The address providers use to reach us. Telephony:PublicBaseUrl when set (behind a reverse proxy, or a
/// tunnel in development); otherwise the server's own address, which is enough for the simulator.
/// Webhook signatures are checked against this public URL, never against the proxy's internal one.
/// </summary>
[Singleton]
public sealed class PublicUrls(IOptions<TelephonyOptions> options, IServer server)
{
    private string? Configured => options.Value.PublicBaseUrl?.TrimEnd('/') is { Length: > 0 } url ? url : null;

    public Uri Base => new((Configured ?? ServerAddress()) + "/");

    public Uri Webhook(string provider, Guid tenantId, string kind, string? query = null) =>
        new(Base, $"api/v1/telephony/{provider}/{tenantId}/{kind}{(query is null ? "" : "?" + query)}");

    /// <summary>The URL the provider signed: the public base plus the request target exactly as received (not decoded).</summary>
    public string SignedUrlOf(HttpContext http)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw.StartsWith('/')
            ? raw
            : http.Request.PathBase + http.Request.Path + http.Request.QueryString;
        var origin = Configured ?? $"{http.Request.Scheme}://{http.Request.Host}";
        return origin + target;
    }

    private string ServerAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                      ?? throw new InvalidOperationException("Telephony:PublicBaseUrl is not set and the server has no address yet.");
        return address.Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://+", "://127.0.0.1").TrimEnd('/');
    }
}
