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

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Security:SignInAttemptsPerMinute", 20);
        if (perMinute < 1) throw new Database.StartupException("Security:SignInAttemptsPerMinute must be 1 or more.");
        return services.AddRateLimiter(o =>
        {
            o.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await Problems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    "Too many sign-in attempts from this address. Wait a minute and try again.");
            };
        });
    }
}
