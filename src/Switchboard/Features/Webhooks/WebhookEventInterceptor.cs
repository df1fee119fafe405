namespace Switchboard.Features.Webhooks;

/// <summary>
/// Captures webhook events (ADR 0055): for every added, modified or deleted entity that has an
/// <see cref="IWebhookEventSource"/>, adds the events it raises to the same SaveChanges, so they are written in the
/// same transaction as the change, or not at all. One insert per event; fan-out to subscriptions is the dispatcher's.
/// </summary>
[Singleton]
public sealed class WebhookEventInterceptor(IEnumerable<IWebhookEventSource> sources, TimeProvider clock) : SavingChangesInterceptor
{
    private readonly Dictionary<Type, IWebhookEventSource> _sources = sources.ToDictionary(s => s.EntityType);

    protected override void BeforeSave(DbContext? context)
    {
        if (context is null) return;
        List<(Guid Tenant, WebhookEventDraft Draft)>? drafts = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            if (!_sources.TryGetValue(entry.Metadata.ClrType, out var source) || entry.Entity is not ITenantOwned owned) continue;
            foreach (var draft in source.Events(entry)) (drafts ??= []).Add((owned.TenantId, draft));
        }
        if (drafts is null) return;
        var now = clock.GetUtcNow();
        foreach (var (tenant, draft) in drafts) WebhookEventWriter.Add(context, tenant, now, draft);
    }
}
