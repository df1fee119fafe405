namespace Switchboard.Platform.Protection;

/// <summary>One token bucket: <see cref="PerSecond"/> tokens added each second, up to <see cref="Burst"/> (ADR 0046).</summary>
public sealed record TokenBucket(int PerSecond, int Burst)
{
    public static readonly (int Min, int Max) PerSecondRange = (1, 10_000);
    public static readonly (int Min, int Max) BurstRange = (1, 100_000);

    /// <summary>Seconds an empty bucket takes to fill: the window of its RateLimit-Policy item.</summary>
    public int WindowSeconds => Math.Max(1, (int)Math.Ceiling(Burst / (double)PerSecond));
}

/// <summary>A tenant's API limits: one bucket per user, one per API key, one for the whole tenant.</summary>
public sealed record TenantRateLimits(TokenBucket User, TokenBucket Key, TokenBucket Tenant);

/// <summary>
/// The platform's default API limits (section RateLimits), for every tenant whose limits a superadmin has not changed.
/// Sized for a CRM with a calling workspace: a person's browser or script makes a few requests a second with bursts
/// when a page loads or a list is exported; an integration's key syncs in bursts; the tenant's budget covers a team.
/// </summary>
public sealed class RateLimitOptions : IValidatedOptions
{
    public const string Section = "RateLimits";

    public int UserPerSecond { get; set; } = 10;
    public int UserBurst { get; set; } = 50;
    public int KeyPerSecond { get; set; } = 20;
    public int KeyBurst { get; set; } = 100;
    public int TenantPerSecond { get; set; } = 100;
    public int TenantBurst { get; set; } = 500;

    /// <summary>How long an instance keeps a tenant's allowlist and limits before reading them again (other instances' changes).</summary>
    public int TenantRulesCacheSeconds { get; set; } = 30;

    public TenantRateLimits Defaults => new(new(UserPerSecond, UserBurst), new(KeyPerSecond, KeyBurst), new(TenantPerSecond, TenantBurst));

    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[] { ("UserPerSecond", UserPerSecond), ("KeyPerSecond", KeyPerSecond), ("TenantPerSecond", TenantPerSecond) })
            if (value < TokenBucket.PerSecondRange.Min || value > TokenBucket.PerSecondRange.Max)
                yield return $"{Section}:{name} must be between {TokenBucket.PerSecondRange.Min} and {TokenBucket.PerSecondRange.Max}.";
        foreach (var (name, value) in new[] { ("UserBurst", UserBurst), ("KeyBurst", KeyBurst), ("TenantBurst", TenantBurst) })
            if (value < TokenBucket.BurstRange.Min || value > TokenBucket.BurstRange.Max)
                yield return $"{Section}:{name} must be between {TokenBucket.BurstRange.Min} and {TokenBucket.BurstRange.Max}.";
        if (TenantRulesCacheSeconds is < 1 or > 3600) yield return $"{Section}:TenantRulesCacheSeconds must be between 1 and 3600.";
    }
}

/// <summary>
/// The abuse response (section Security, beside <see cref="SecurityOptions"/>): a client address that earns
/// <see cref="AutoBlockStrikes"/> strikes (a 429, a failed sign-in) within <see cref="AutoBlockWindowMinutes"/> is
/// blocked for <see cref="AutoBlockMinutes"/>. <see cref="IpBlocklistRefreshSeconds"/>: how stale an instance's copy of
/// the platform blocklist may be (blocks made on another instance).
/// </summary>
public sealed class AbuseOptions : IValidatedOptions
{
    public const string Section = "Security";

    /// <summary>0 turns automatic blocks off.</summary>
    public int AutoBlockStrikes { get; set; } = 30;
    public int AutoBlockWindowMinutes { get; set; } = 10;
    public int AutoBlockMinutes { get; set; } = 60;
    public int IpBlocklistRefreshSeconds { get; set; } = 10;

    public IEnumerable<string> Problems()
    {
        if (AutoBlockStrikes is < 0 or > 1_000_000) yield return "Security:AutoBlockStrikes must be between 0 (off) and 1000000.";
        if (AutoBlockWindowMinutes is < 1 or > 1440) yield return "Security:AutoBlockWindowMinutes must be between 1 and 1440.";
        if (AutoBlockMinutes is < 1 or > 43_200) yield return "Security:AutoBlockMinutes must be between 1 and 43200.";
        if (IpBlocklistRefreshSeconds is < 1 or > 3600) yield return "Security:IpBlocklistRefreshSeconds must be between 1 and 3600.";
    }
}
