using Microsoft.Extensions.Caching.Memory;

namespace Switchboard.Features.Telephony;

/// <summary>
/// What every provider callback needs before it can even check the signature — the tenant and the
/// provider's decrypted secret — kept for a short while so a burst of callbacks does not reload and
/// decrypt them each time. Saving provider settings or changing a tenant clears the entry on this
/// instance; other instances see the change when their entry expires (<see cref="Lifetime"/>).
/// </summary>
[Singleton]
public sealed class WebhookCache(IMemoryCache cache, IEnumerable<TelephonyProviderName> providers)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public Task<TenantSettings?> TenantAsync(Guid tenantId, Func<Task<TenantSettings?>> load) =>
        cache.GetOrCreateAsync(("webhook-tenant", tenantId), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Lifetime;
            return load();
        });

    public Task<ProviderCredentials?> ProviderAsync(Guid tenantId, string provider, Func<Task<ProviderCredentials?>> load) =>
        cache.GetOrCreateAsync(("webhook-provider", tenantId, provider), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Lifetime;
            return load();
        });

    public void Forget(Guid tenantId)
    {
        cache.Remove(("webhook-tenant", tenantId));
        foreach (var provider in providers) cache.Remove(("webhook-provider", tenantId, provider.Name));
    }
}
