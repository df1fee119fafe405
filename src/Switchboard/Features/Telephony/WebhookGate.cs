using Microsoft.EntityFrameworkCore;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Database;
using Switchboard.Platform.Identity;
using Switchboard.Platform.Tenancy;

namespace Switchboard.Features.Telephony;

public abstract record WebhookAccess
{
    public sealed record Allowed(ProviderCredentials Provider, IReadOnlyList<KeyValuePair<string, string>> Form) : WebhookAccess;
    public sealed record NotFound : WebhookAccess;
    public sealed record Rejected : WebhookAccess;
}

/// <summary>
/// Lets a provider callback in: the tenant exists and is active, the provider is configured for it, and the
/// request carries a valid signature over the public URL and form (the provider's secret is the key).
/// Callbacks authenticate by signature only; a bad one is a 403 and a security event in the tenant's audit log.
/// </summary>
/// <remarks>
/// The database services are resolved only when needed (a cache miss, a rejection): with the tenant and the
/// credentials cached, a status callback passes the gate without creating a DbContext.
/// </remarks>
public sealed class WebhookGate(IServiceProvider services, TenantContext ctx, AuditActor actor, PublicUrls urls, WebhookCache cache)
{
    public async Task<WebhookAccess> OpenAsync(HttpContext http, string provider, Guid tenantId, CancellationToken ct)
    {
        if (!ProviderNames.All.Contains(provider)) return new WebhookAccess.NotFound();
        var tenant = await cache.TenantAsync(tenantId, async () =>
            await services.GetRequiredService<SwitchboardDbContext>().Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId && t.IsActive, ct) is { } t ? TenantMessages.Settings(t) : null);
        if (tenant is null) return new WebhookAccess.NotFound();
        await ctx.EnterTenantAsync(tenant, TenantRole.Superadmin);
        actor.ActorType = "system";
        actor.ActorName = $"provider:{provider}";
        // Connections open on demand: with the tenant and credentials cached, a status callback needs none here
        // (CallStatusWriter writes it on its own connection, with others).
        var credentials = await cache.ProviderAsync(tenantId, provider, () => services.GetRequiredService<ProviderSettingsService>().ConfiguredAsync(provider, ct));
        var key = provider == ProviderNames.Twilio ? credentials?.Secret("authToken") : credentials?.Secret("signingKey");
        if (credentials is null || key is null) return new WebhookAccess.NotFound();

        var url = urls.SignedUrlOf(http);
        IReadOnlyList<KeyValuePair<string, string>> form = [];
        bool valid;
        if (http.Request.HasFormContentType)
        {
            form = TwilioSignature.Pairs(await http.Request.ReadFormAsync(ct)).ToList();
            valid = provider == ProviderNames.SignalWire
                ? SignalWireSignature.IsValidForm(key, url, form, SignalWireSignature.ReadSignature(http.Request.Headers))
                : TwilioSignature.IsValid(key, url, form, http.Request.Headers[TwilioSignature.HeaderName]);
        }
        else
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, ct);
            var signature = provider == ProviderNames.SignalWire ? SignalWireSignature.ReadSignature(http.Request.Headers) : http.Request.Headers[TwilioSignature.HeaderName].ToString();
            valid = TwilioSignature.IsValidJson(key, url, buffer.ToArray(), signature);
        }
        if (valid) return new WebhookAccess.Allowed(credentials, form);

        await services.GetRequiredService<AuditLog>().WriteAsync("telephony.signature-rejected", tenantId, "telephony-provider", provider,
            new { url, hasSignature = http.Request.Headers.ContainsKey(TwilioSignature.HeaderName) || http.Request.Headers.ContainsKey(SignalWireSignature.HeaderName) }, ct);
        return new WebhookAccess.Rejected();
    }
}
