namespace Switchboard.Platform.Protection;

/// <summary>
/// The platform blocklist, checked before anything else runs (right after the client address is read from a trusted
/// proxy's X-Forwarded-For, as Network:KnownProxies configures): a blocked address gets 403 and nothing more.
/// </summary>
public sealed class IpBlockMiddleware(RequestDelegate next, IpBlocklist blocklist)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (await blocklist.FindAsync(address, http.RequestAborted) is { } block)
        {
            var until = block.ExpiresAt is { } expires ? $" until {expires.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "";
            await Refusals.WriteAsync(http, StatusCodes.Status403Forbidden, "Your address is blocked",
                $"Requests from {address} are blocked{until}. If you think this is a mistake, contact the operator of this Switchboard.");
            return;
        }
        await next(http);
    }
}
