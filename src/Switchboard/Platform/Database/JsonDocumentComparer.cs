using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Switchboard.Platform.Database;

/// <summary>
/// Compares jsonb documents by content, in any key order. PostgreSQL's jsonb reorders keys, and EF's default
/// compares JsonDocument by reference, so every loaded document looked changed: each save rewrote it, and the
/// audit log recorded a change nobody made. Applied to every JsonDocument property by the DbContext.
/// </summary>
public sealed class JsonDocumentComparer() : ValueComparer<JsonDocument?>(
    (a, b) => ReferenceEquals(a, b) || (a != null && b != null && JsonElement.DeepEquals(a.RootElement, b.RootElement)),
    d => d == null ? 0 : d.RootElement.ValueKind.GetHashCode(),
    d => d == null ? null : JsonDocument.Parse(d.RootElement.GetRawText(), default))
{
    public static readonly JsonDocumentComparer Instance = new();
}
