using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Switchboard.Platform.Audit;

/// <summary>
/// Writes an audit row for every create, update and delete of an <see cref="IAudited"/> entity, in the
/// same SaveChanges (so the same transaction) as the change itself, with old and new field values.
/// </summary>
[Singleton]
public sealed class AuditInterceptor(TimeProvider clock) : SavingChangesInterceptor
{
    private static readonly HashSet<string> Ignored = ["TenantId", "UpdatedAt", "CreatedAt", "Version"];

    protected override void BeforeSave(DbContext? context)
    {
        if (context is not SwitchboardDbContext { Actor: var actor }) return;
        var rows = context.ChangeTracker.Entries<IAudited>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => ToAuditEntry(e, actor))
            .OfType<AuditEntry>()
            .ToList();
        context.AddRange(rows);
    }

    private AuditEntry? ToAuditEntry(EntityEntry<IAudited> entry, AuditActor actor)
    {
        var changes = new JsonObject();
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (Ignored.Contains(name)) continue;
            var (oldValue, newValue) = entry.State switch
            {
                EntityState.Added => (null, property.CurrentValue),
                EntityState.Deleted => (property.OriginalValue, null),
                _ => (property.OriginalValue, property.CurrentValue),
            };
            if (entry.State == EntityState.Modified && (!property.IsModified || Equals(oldValue, newValue))) continue;
            if (entry.State != EntityState.Modified && oldValue is null && newValue is null) continue;
            if (IsSecret(property.Metadata)) (oldValue, newValue) = (oldValue is null ? null : "(set)", newValue is null ? null : oldValue is null ? "(set)" : "(changed)");
            changes[JsonNamingPolicy.CamelCase.ConvertName(name)] = new JsonObject
            {
                ["old"] = ToJson(oldValue),
                ["new"] = ToJson(newValue),
            };
        }
        if (entry.State == EntityState.Modified && changes.Count == 0) return null;

        return new AuditEntry
        {
            Id = Guid.CreateVersion7(),
            TenantId = (entry.Entity as ITenantOwned)?.TenantId,
            OccurredAt = clock.GetUtcNow(),
            ActorType = actor.ActorType,
            ActorId = actor.ActorId,
            ActorName = actor.ActorName,
            Action = entry.State switch
            {
                EntityState.Added => AuditActions.Created.Name,
                EntityState.Deleted => AuditActions.Deleted.Name,
                _ => AuditActions.Updated.Name,
            },
            EntityType = entry.Entity.AuditEntityType,
            EntityId = entry.Entity.AuditEntityId,
            Changes = JsonDocument.Parse(changes.ToJsonString()),
            Ip = actor.Ip,
            UserAgent = actor.UserAgent,
        };
    }

    private static bool IsSecret(IProperty property) =>
        property.PropertyInfo?.IsDefined(typeof(AuditSecretAttribute), inherit: false) == true;

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        Enum e => JsonValue.Create(e.ToString().ToLowerInvariant()),
        _ => JsonSerializer.SerializeToNode(value),
    };
}
