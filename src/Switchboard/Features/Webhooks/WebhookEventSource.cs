using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Switchboard.Features.Webhooks;

/// <summary>
/// An entity that raises webhook events, declared in the entity's own feature folder (ADR 0055): which events a change
/// of it raises and its data as the API returns it. <see cref="WebhookEventInterceptor"/> finds sources by entity type;
/// every concrete implementation in the assembly is registered by <see cref="WebhooksComposition"/>.
/// </summary>
public interface IWebhookEventSource
{
    Type EntityType { get; }

    /// <summary>The events this change raises (type, data, previous data or null), none for a change nobody subscribes to.</summary>
    IEnumerable<WebhookEventDraft> Events(EntityEntry entry);
}

/// <summary>An event about to be written: its type, the record as the API returns it, and for updates the record before and the changed fields.</summary>
public sealed record WebhookEventDraft(string Type, object Data, object? Previous, IReadOnlyList<string>? Changed);

/// <summary>
/// The usual source: <c>{prefix}.created</c>, <c>{prefix}.updated</c> (with <c>previous</c> and the changed fields),
/// <c>{prefix}.deleted</c>; <see cref="Extra"/> adds events of the entity's own (a stage change).
/// </summary>
public abstract class WebhookEventSource<TEntity>(string prefix) : IWebhookEventSource where TEntity : class
{
    private static readonly HashSet<string> Bookkeeping = ["UpdatedAt", "Version", "TenantId", "CreatedAt"];

    public Type EntityType => typeof(TEntity);

    /// <summary>The record as the API returns it.</summary>
    protected abstract object Data(TEntity entity, DbContext db);

    /// <summary>Which of created/updated/deleted this source raises (all three unless overridden).</summary>
    protected virtual bool Raises(EntityState state) => true;

    /// <summary>Events beyond created/updated/deleted for this change.</summary>
    protected virtual IEnumerable<WebhookEventDraft> Extra(EntityEntry<TEntity> entry, Func<object> data, Func<object> previous) => [];

    public IEnumerable<WebhookEventDraft> Events(EntityEntry entry)
    {
        var typed = entry.Context.Entry((TEntity)entry.Entity);
        object? data = null, previous = null;
        object CurrentData() => data ??= Data(typed.Entity, entry.Context);
        object PreviousData() => previous ??= Data((TEntity)typed.OriginalValues.ToObject(), entry.Context);
        var events = new List<WebhookEventDraft>(2);
        switch (entry.State)
        {
            case EntityState.Added when Raises(EntityState.Added):
                events.Add(new($"{prefix}.created", CurrentData(), null, null));
                break;
            case EntityState.Modified when Raises(EntityState.Modified):
                var changed = ChangedFields(entry);
                if (changed.Count > 0) events.Add(new($"{prefix}.updated", CurrentData(), PreviousData(), changed));
                break;
            case EntityState.Deleted when Raises(EntityState.Deleted):
                events.Add(new($"{prefix}.deleted", PreviousData(), null, null));
                break;
        }
        events.AddRange(Extra(typed, CurrentData, PreviousData));
        return events;
    }

    /// <summary>The API (camelCase) names of the properties an update really changed, stamps left out.</summary>
    protected static List<string> ChangedFields(EntityEntry entry) =>
        entry.Properties
            .Where(p => p.IsModified && !Bookkeeping.Contains(p.Metadata.Name) && !Equals(p.OriginalValue, p.CurrentValue))
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Metadata.Name))
            .ToList();
}

/// <summary>
/// Events that are not entity changes (ticket.created, campaign.progress): added to the caller's unit of work and
/// written by its SaveChanges, in the same transaction, like the captured ones.
/// </summary>
[Scoped]
public sealed class WebhookEvents(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    public WebhookEvent Add(string type, object data) =>
        WebhookEventWriter.Add(db, ctx.RequiredTenantId, clock.GetUtcNow(), new WebhookEventDraft(type, data, null, null));
}

/// <summary>Builds the event body <c>{id, type, tenantId, createdAt, data, previous?}</c> once, as the bytes every attempt sends.</summary>
internal static class WebhookEventWriter
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public static WebhookEvent Add(DbContext db, Guid tenantId, DateTimeOffset now, WebhookEventDraft draft)
    {
        var id = Guid.CreateVersion7(now);
        var body = new WebhookBody(id, draft.Type, tenantId, now, draft.Data, draft.Previous);
        var row = new WebhookEvent
        {
            TenantId = tenantId, Id = id, Type = draft.Type, CreatedAt = now, Changed = draft.Changed?.ToArray(),
            Body = JsonSerializer.Serialize(body, Json),
        };
        db.Add(row);
        return row;
    }
}

/// <summary>The body every delivery of an event carries.</summary>
public sealed record WebhookBody(Guid Id, string Type, Guid TenantId, DateTimeOffset CreatedAt, object Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Previous);
