namespace Switchboard.Platform.Database;

/// <summary>
/// Optimistic concurrency in one place: the version checks of a write (412 for a stale If-Match, 409 for a stale body
/// version) and the save that turns a concurrent change of the same row into a 409. The version itself is bumped by
/// the save interceptor (Platform/Database/VersionStampInterceptor).
/// </summary>
public static class RecordSave
{
    /// <summary>The failure for a stale If-Match or body version, or null when both match (or are absent).</summary>
    public static Outcome<T>? CheckVersion<T>(string noun, int current, int? ifMatch, int? bodyVersion)
    {
        if (ifMatch is { } expected && expected != current)
            return new Outcome<T>.PreconditionFailed($"The {noun} has changed since version {expected}; it is now at version {current}. Reload and retry.");
        if (bodyVersion is { } sent && sent != current)
            return new Outcome<T>.Conflict($"The {noun} has changed since version {sent}; it is now at version {current}. Reload and retry.");
        return null;
    }

    /// <summary>Saves; a concurrent change of a versioned row answers 409 instead of the result.</summary>
    public static async Task<Outcome<T>> SaveAsync<T>(this DbContext db, string noun, Func<T> result, CancellationToken ct)
    {
        if (!await db.TrySaveAsync(ct)) return Conflict<T>(noun);
        return result();
    }

    /// <summary>Saves; false when a concurrency token showed that someone else changed a row first.</summary>
    public static async Task<bool> TrySaveAsync(this DbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    public static Outcome<T> Conflict<T>(string noun) =>
        new Outcome<T>.Conflict($"The {noun} was changed by someone else at the same time. Reload and retry.");
}
