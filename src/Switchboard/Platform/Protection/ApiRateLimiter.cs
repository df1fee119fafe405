using System.Threading.RateLimiting;

namespace Switchboard.Platform.Protection;

/// <summary>Who an API request counts against: its tenant, and its API key or (without a key) its user, with the tenant's limits.</summary>
public readonly record struct ApiCaller(Guid? TenantId, Guid? UserId, Guid? KeyId, TenantRateLimits Limits);

/// <summary>One policy's state after a request, as the RateLimit-Policy and RateLimit headers give it.</summary>
public sealed record RateLimitState(string Policy, TokenBucket Bucket, long Remaining);

/// <summary>
/// The API's token buckets (ADR 0046), built from System.Threading.RateLimiting: three partitioned limiters — per API
/// key, per user (requests without a key), per tenant — chained, so a request takes a token from its key's or user's
/// bucket and from its tenant's. A partition's key holds the bucket's size, so a superadmin's change of a tenant's
/// limits starts fresh buckets at once and the old ones are dropped when idle. In memory, per instance.
/// </summary>
[Singleton]
public sealed class ApiRateLimiter : IDisposable
{
    private readonly record struct Partition(string Policy, Guid Id, TokenBucket? Bucket);

    private readonly PartitionedRateLimiter<ApiCaller> _key = Limiter("key", c => c.KeyId, c => c.Limits.Key);
    private readonly PartitionedRateLimiter<ApiCaller> _user = Limiter("user", c => c.KeyId is null ? c.UserId : null, c => c.Limits.User);
    private readonly PartitionedRateLimiter<ApiCaller> _tenant = Limiter("tenant", c => c.TenantId, c => c.Limits.Tenant);
    private readonly PartitionedRateLimiter<ApiCaller> _chain;

    public ApiRateLimiter() => _chain = PartitionedRateLimiter.CreateChained(_key, _user, _tenant);

    /// <summary>Takes a token for the request; when refused, the lease says how long to wait (<see cref="MetadataName.RetryAfter"/>).</summary>
    public RateLimitLease Acquire(ApiCaller caller) => _chain.AttemptAcquire(caller);

    /// <summary>The caller's buckets as they are now, in header order: its key's or its user's, then its tenant's.</summary>
    public IReadOnlyList<RateLimitState> States(ApiCaller caller)
    {
        var states = new List<RateLimitState>(2);
        if (caller.KeyId is not null) states.Add(State("key", _key, caller, caller.Limits.Key));
        else if (caller.UserId is not null) states.Add(State("user", _user, caller, caller.Limits.User));
        if (caller.TenantId is not null) states.Add(State("tenant", _tenant, caller, caller.Limits.Tenant));
        return states;
    }

    private static RateLimitState State(string policy, PartitionedRateLimiter<ApiCaller> limiter, ApiCaller caller, TokenBucket bucket) =>
        new(policy, bucket, limiter.GetStatistics(caller)?.CurrentAvailablePermits ?? bucket.Burst);

    private static PartitionedRateLimiter<ApiCaller> Limiter(string policy, Func<ApiCaller, Guid?> id, Func<ApiCaller, TokenBucket> bucket) =>
        PartitionedRateLimiter.Create<ApiCaller, Partition>(caller => id(caller) is { } partitionId
            ? RateLimitPartition.GetTokenBucketLimiter(new Partition(policy, partitionId, bucket(caller)), p => new TokenBucketRateLimiterOptions
            {
                TokenLimit = p.Bucket!.Burst,
                TokensPerPeriod = p.Bucket.PerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter(new Partition(policy, Guid.Empty, null)));

    public void Dispose()
    {
        _chain.Dispose();
        _key.Dispose();
        _user.Dispose();
        _tenant.Dispose();
    }
}
