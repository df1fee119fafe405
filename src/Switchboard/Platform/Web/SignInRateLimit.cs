using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Switchboard.Platform.Web;

/// <summary>
/// Caps password attempts per client IP (fixed window), on top of per-account lockout: lockout stops
/// guessing one account, this stops one client spraying many. Setting: Security:SignInAttemptsPerMinute.
/// </summary>
public static class SignInRateLimit
{
    public const string Policy = "sign-in";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services)
    {
        services.AddValidatedOptions<SecurityOptions>(SecurityOptions.Section);
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SecurityOptions>>((o, security) =>
        {
            var perMinute = security.Value.SignInAttemptsPerMinute;
            o.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services.AddRateLimiter(o => o.OnRejected = async (context, _) =>
        {
            context.HttpContext.Response.Headers.RetryAfter = "60";
            await Problems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                "Too many sign-in attempts from this address. Wait a minute and try again.");
            // A refused attempt is a strike for the abuse monitor (ADR 0046).
            await context.HttpContext.RequestServices.GetRequiredService<Protection.AbuseMonitor>()
                .StrikeAsync(context.HttpContext.Connection.RemoteIpAddress, Protection.AbuseMonitor.RateLimited, CancellationToken.None);
        });
    }
}

public sealed class SecurityOptions : IValidatedOptions
{
    public const string Section = "Security";

    public int SignInAttemptsPerMinute { get; set; } = 20;

    /// <summary>
    /// Lets the server send requests to plain-http, loopback and private-network URLs a tenant saved (tests and local
    /// development only; never in production). Link-local and metadata addresses stay refused (<see cref="PrivateNetworkGuard"/>).
    /// </summary>
    public bool AllowPrivateNetworkUrls { get; set; }

    public IEnumerable<string> Problems()
    {
        if (SignInAttemptsPerMinute is < 1 or > 1_000_000) yield return "Security:SignInAttemptsPerMinute must be between 1 and 1000000.";
    }
}
