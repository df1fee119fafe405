using System.Threading.RateLimiting;

namespace Switchboard.Platform.Protection;

/// <summary>
/// What a signed-in request is held to once its tenant and caller are known (after <see cref="TenantResolutionMiddleware"/>):
/// the tenant's IP allowlist, for its pages and its API alike (superadmins, who answer for the platform, are not held to
/// it); then, for the API (/api/v1), the caller's token buckets (<see cref="ApiRateLimiter"/>; a superadmin's only their
/// own, at the platform's limits). Both come from memory
/// (<see cref="TenantRulesCache"/>): no database round trip. Every API answer carries the RateLimit-Policy and RateLimit
/// headers; a refused one is 429 with Retry-After, and counts as a strike for the abuse monitor.
/// </summary>
public sealed class TenantRulesMiddleware(RequestDelegate next, TenantRulesCache rules, ApiRateLimiter limiter, AbuseMonitor abuse,
    IOptions<RateLimitOptions> options)
{
    public async Task InvokeAsync(HttpContext http, TenantContext ctx)
    {
        if (ctx.UserId is null)
        {
            await next(http);
            return;
        }
        var tenantRules = ctx.TenantId is { } tenantId ? await rules.GetAsync(tenantId, http.RequestAborted) : null;
        var address = http.Connection.RemoteIpAddress;
        if (tenantRules is { IpAllowlist.Count: > 0 } && !ctx.IsSuperadmin && !CidrBlocks.Contains(tenantRules.IpAllowlist, address))
        {
            await Refusals.WriteAsync(http, StatusCodes.Status403Forbidden, "Not allowed from this address",
                $"{ctx.Tenant?.Name ?? "This workspace"} allows access only from its own networks, and {address} is not one of them. " +
                "Connect from an allowed network, or ask the workspace's administrator to add this address.");
            return;
        }
        if (!http.Request.Path.StartsWithSegments("/api/v1") && !ApiPaths.IsMcp(http.Request.Path))
        {
            await next(http);
            return;
        }

        // A superadmin answers for the platform, not for the tenant they are in: their requests take from their own
        // bucket at the platform's limits, never from that tenant's (whose members would otherwise pay for them, and
        // a tenant's low limits would stop platform work).
        var caller = ctx.IsSuperadmin
            ? new ApiCaller(null, ctx.UserId, ctx.ApiKey?.Id, options.Value.Defaults)
            : new ApiCaller(ctx.TenantId, ctx.UserId, ctx.ApiKey?.Id, tenantRules?.Limits ?? options.Value.Defaults);
        using var lease = limiter.Acquire(caller);
        RateLimitHeaders.Write(http.Response, limiter.States(caller));
        if (!lease.IsAcquired)
        {
            var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Problems.Write(http, StatusCodes.Status429TooManyRequests, "Too many requests",
                $"This {(ctx.ApiKey is null ? "user" : "API key")} or its workspace has used up its API rate limit. Wait {seconds} s and try again; the RateLimit headers say how much is left.");
            await abuse.StrikeAsync(address, AbuseMonitor.RateLimited, http.RequestAborted);
            return;
        }
        await next(http);
    }
}
