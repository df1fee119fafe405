using Switchboard.Features.Calls;

namespace Switchboard.Features.Telephony;

public abstract record WebhookAccess
{
    public sealed record Allowed(ITelephonyProvider Provider, ProviderCredentials Credentials, IReadOnlyList<KeyValuePair<string, string>> Form) : WebhookAccess;
    public sealed record NotFound : WebhookAccess;
    public sealed record Rejected : WebhookAccess;
}

/// <summary>
/// Lets a provider callback in: the provider is registered, the tenant exists and is active, the provider is
/// configured for it, and the provider finds the request correctly signed over the public URL (its secret is the key).
/// Callbacks authenticate by signature only; a bad one is a 403 and a security event in the tenant's audit log.
/// The callback then runs as the provider's system actor of the tenant (<see cref="SystemActorName"/>): no user and
/// no role, so no permission check grants it anything; it writes only what the webhook code writes directly.
/// </summary>
/// <remarks>
/// The database services are resolved only when needed (a cache miss, a rejection): with the tenant and the
/// credentials cached, a status callback passes the gate without creating a DbContext.
/// </remarks>
[Scoped]
public sealed class WebhookGate(IServiceProvider services, TenantContext ctx, AuditActor actor, PublicUrls urls, WebhookCache cache, TelephonyProviders providers)
{
    /// <summary>Who a provider's callbacks act as, in the audit log and the tenant context: "provider:twilio".</summary>
    public static string SystemActorName(string provider) => $"provider:{provider}";

    public async Task<WebhookAccess> OpenAsync(HttpContext http, string provider, Guid tenantId, CancellationToken ct)
    {
        if (!providers.TryGet(provider, out var telephony)) return new WebhookAccess.NotFound();
        var tenant = await cache.TenantAsync(tenantId, async () =>
            await services.GetRequiredService<SwitchboardDbContext>().Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId && t.IsActive, ct) is { } t ? TenantMessages.Settings(t) : null);
        if (tenant is null) return new WebhookAccess.NotFound();
        await ctx.EnterTenantAsSystemAsync(tenant, SystemActorName(provider));
        actor.System(SystemActorName(provider));
        // Connections open on demand: with the tenant and credentials cached, a status callback needs none here
        // (CallStatusWriter writes it on its own connection, with others).
        var credentials = await cache.ProviderAsync(tenantId, provider, () => services.GetRequiredService<ProviderSettingsService>().ConfiguredAsync(provider, ct));
        if (credentials is null) return new WebhookAccess.NotFound();

        var url = urls.SignedUrlOf(http);
        switch (await telephony.VerifyAsync(http.Request, url, credentials, ct))
        {
            case WebhookCheck.Valid valid:
                return new WebhookAccess.Allowed(telephony, credentials, valid.Fields);
            case WebhookCheck.Invalid invalid:
                await services.GetRequiredService<AuditLog>().WriteAsync(AuditActions.TelephonySignatureRejected, tenantId, "telephony-provider", provider,
                    new { url, hasSignature = invalid.HadSignature }, ct);
                return new WebhookAccess.Rejected();
            default:
                return new WebhookAccess.NotFound();
        }
    }
}
