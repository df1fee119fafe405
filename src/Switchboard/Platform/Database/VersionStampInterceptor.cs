using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Platform.Database;

/// <summary>A row with an updated instant that the save interceptor fills (a settings row, which has no created instant).</summary>
public interface IUpdateStamped
{
    DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A row with created/updated stamps that the save interceptor fills.</summary>
public interface IStamped : IUpdateStamped
{
    DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A row with an optimistic-concurrency version (configured as a concurrency token) that every change bumps.</summary>
public interface IVersioned : IStamped
{
    int Version { get; set; }
}

/// <summary>
/// Stamps <see cref="IStamped"/> rows (created and updated instants on insert, updated instant on change; an
/// <see cref="IUpdateStamped"/> row only has the latter) and bumps the version of <see cref="IVersioned"/> rows whenever
/// a property the user edits changed, so no service writes <c>Version++</c> or <c>UpdatedAt = now</c> by hand. Properties
/// marked <see cref="VersionStamps.NotVersioned"/> (system bookkeeping such as a lead's last-called instant) change without
/// making an open edit form stale.
/// </summary>
[Singleton]
public sealed class VersionStampInterceptor(TimeProvider clock) : SavingChangesInterceptor
{
    private const string NotVersionedAnnotation = "Switchboard:NotVersioned";

    internal static bool IsNotVersioned(IReadOnlyProperty property) => property.FindAnnotation(NotVersionedAnnotation)?.Value is true;

    internal static void MarkNotVersioned(PropertyBuilder property) => property.HasAnnotation(NotVersionedAnnotation, true);

    protected override void BeforeSave(DbContext? context)
    {
        if (context is null) return;
        var now = clock.GetUtcNow();
        foreach (var entry in context.ChangeTracker.Entries<IUpdateStamped>())
        {
            if (entry.State == EntityState.Added)
            {
                if (entry.Entity is IStamped { CreatedAt: var created } stamped && created == default) stamped.CreatedAt = now;
                if (entry.Entity.UpdatedAt == default) entry.Entity.UpdatedAt = (entry.Entity as IStamped)?.CreatedAt ?? now;
            }
            else if (entry.State == EntityState.Modified)
            {
                var touched = entry.Entity is IVersioned && entry.Property(nameof(IVersioned.Version)).IsModified;
                if (!touched && !HasEdits(entry)) continue;
                entry.Entity.UpdatedAt = now;
                if (entry.Entity is IVersioned versioned && !touched)
                    versioned.Version = (int)entry.Property(nameof(IVersioned.Version)).OriginalValue! + 1;
            }
        }
    }

    private static bool HasEdits(EntityEntry entry) => entry.Properties.Any(p =>
        p.IsModified && p.Metadata.Name is not (nameof(IVersioned.Version) or nameof(IUpdateStamped.UpdatedAt)) && !IsNotVersioned(p.Metadata));
}

public static class VersionStamps
{
    /// <summary>
    /// Moves a row to a new version although none of its own columns changed: for a parent whose parts changed
    /// (an opportunity's product lines, a pipeline's stages), so editors holding the old version see a conflict.
    /// </summary>
    public static void Touch(this DbContext db, IVersioned row)
    {
        var version = db.Entry(row).Property(nameof(IVersioned.Version));
        if (!version.IsModified) row.Version = (int)version.OriginalValue! + 1;
    }

    /// <summary>Changes of this property do not bump the row's version or updated instant (system bookkeeping).</summary>
    public static PropertyBuilder<T> NotVersioned<T>(this PropertyBuilder<T> property)
    {
        VersionStampInterceptor.MarkNotVersioned(property);
        return property;
    }
}
