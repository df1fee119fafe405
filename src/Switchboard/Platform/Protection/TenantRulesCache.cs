using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace Switchboard.Platform.Protection;

/// <summary>What every request of a tenant is held to before it runs: the tenant's IP allowlist and its API limits.</summary>
public sealed record TenantNetworkRules(IReadOnlyList<string> IpAllowlist, TenantRateLimits Limits);

/// <summary>
/// A tenant's <see cref="TenantNetworkRules"/>, read once and kept in memory so the check on every request costs no
/// database round trip (as <c>WebhookCache</c> does for provider callbacks). Changing them (the tenant's security
/// settings, a superadmin's limits) forgets the entry on this instance at once; other instances read them again when
/// their entry is <see cref="RateLimitOptions.TenantRulesCacheSeconds"/> old (ADR 0046).
/// </summary>
[Singleton]
public sealed class TenantRulesCache(IMemoryCache cache, DatabaseConnections connections, IOptions<RateLimitOptions> options)
{
    private const string Sql = """
        select ip_allowlist, rate_user_per_second, rate_user_burst, rate_key_per_second, rate_key_burst,
               rate_tenant_per_second, rate_tenant_burst
        from tenants where id = $1
        """;

    public ValueTask<TenantNetworkRules> GetAsync(Guid tenantId, CancellationToken ct) =>
        cache.TryGetValue(Key(tenantId), out TenantNetworkRules? rules) ? ValueTask.FromResult(rules!) : new(LoadAsync(tenantId, ct));

    public void Forget(Guid tenantId) => cache.Remove(Key(tenantId));

    private static (string, Guid) Key(Guid tenantId) => ("tenant-network-rules", tenantId);

    // tenants has no row-level security: a connection with no tenant set reads the one row, as the sign-in does.
    private async Task<TenantNetworkRules> LoadAsync(Guid tenantId, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connections.Runtime);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(Sql, connection) { Parameters = { new() { Value = tenantId } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var defaults = options.Value.Defaults;
        var rules = new TenantNetworkRules([], defaults);
        if (await reader.ReadAsync(ct))
        {
            int? At(int i) => reader.IsDBNull(i) ? null : reader.GetInt32(i);
            TokenBucket Bucket(int i, TokenBucket fallback) => new(At(i) ?? fallback.PerSecond, At(i + 1) ?? fallback.Burst);
            rules = new TenantNetworkRules(
                reader.IsDBNull(0) ? [] : reader.GetFieldValue<string[]>(0),
                new TenantRateLimits(Bucket(1, defaults.User), Bucket(3, defaults.Key), Bucket(5, defaults.Tenant)));
        }
        cache.Set(Key(tenantId), rules, TimeSpan.FromSeconds(options.Value.TenantRulesCacheSeconds));
        return rules;
    }
}
