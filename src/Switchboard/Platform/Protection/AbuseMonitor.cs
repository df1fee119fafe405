using System.Net;
using System.Threading.RateLimiting;

namespace Switchboard.Platform.Protection;

/// <summary>
/// The abuse response of the operations runbook, automated (ADR 0046): each 429 and each failed sign-in is a strike
/// against the client's address; an address with more than <see cref="AbuseOptions.AutoBlockStrikes"/> strikes within
/// <see cref="AbuseOptions.AutoBlockWindowMinutes"/> is blocked for <see cref="AbuseOptions.AutoBlockMinutes"/>, as a
/// platform block with its reason, audited and listed with the superadmin's. Strikes are counted per instance with a
/// partitioned fixed-window limiter (one permit per strike); the block itself is shared through the database.
/// Loopback is never blocked automatically: a local reverse proxy that forwards no client address would block everyone.
/// </summary>
[Singleton]
public sealed class AbuseMonitor : IDisposable
{
    /// <summary>What a strike was for, as the block's reason names it.</summary>
    public const string RateLimited = "requests refused for exceeding a rate limit";
    public const string SignInFailed = "failed sign-ins";

    private readonly IServiceScopeFactory _scopes;
    private readonly IpBlocklist _blocklist;
    private readonly AbuseOptions _options;
    private readonly ILogger<AbuseMonitor> _log;
    private readonly PartitionedRateLimiter<IPAddress> _strikes;

    public AbuseMonitor(IServiceScopeFactory scopes, IpBlocklist blocklist, IOptions<AbuseOptions> options, ILogger<AbuseMonitor> log)
    {
        _scopes = scopes;
        _blocklist = blocklist;
        _options = options.Value;
        _log = log;
        var window = TimeSpan.FromMinutes(_options.AutoBlockWindowMinutes);
        _strikes = PartitionedRateLimiter.Create<IPAddress, IPAddress>(ip => RateLimitPartition.GetFixedWindowLimiter(ip,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, _options.AutoBlockStrikes), Window = window, QueueLimit = 0 }));
    }

    /// <summary>Counts a strike against <paramref name="address"/>; the one past the limit blocks it. Returns the block made, if any.</summary>
    public async Task<IpBlock?> StrikeAsync(IPAddress? address, string kind, CancellationToken ct)
    {
        if (_options.AutoBlockStrikes == 0 || address is null || IPAddress.IsLoopback(address)) return null;
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        using var lease = _strikes.AttemptAcquire(plain);
        if (lease.IsAcquired || await _blocklist.FindAsync(plain, ct) is not null) return null;

        var reason = $"Automatic: more than {_options.AutoBlockStrikes} {kind} within {_options.AutoBlockWindowMinutes} minutes.";
        await using var scope = _scopes.CreateAsyncScope();
        var actor = scope.ServiceProvider.GetRequiredService<AuditActor>();
        actor.Ip = plain.ToString();
        var block = await scope.ServiceProvider.GetRequiredService<IpBlockService>()
            .BlockAutomaticallyAsync(plain, reason, TimeSpan.FromMinutes(_options.AutoBlockMinutes), ct);
        _log.LogWarning("Blocked {Address} until {ExpiresAt}: {Reason}", plain, block.ExpiresAt, reason);
        return block;
    }

    public void Dispose() => _strikes.Dispose();
}
