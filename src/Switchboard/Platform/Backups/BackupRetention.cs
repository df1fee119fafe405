namespace Switchboard.Platform.Backups;

/// <summary>
/// Prunes a backup folder: keeps the newest <c>Keep</c> backups and none older than <c>KeepDays</c>, but never the
/// newest one; removes <c>.tmp-</c> folders a crashed backup left more than a day ago. Only folders this app named and
/// completed (<c>switchboard-…</c> with a manifest) are touched; anything else in the folder is left alone.
/// </summary>
public static class BackupRetention
{
    public sealed record Kept(string Name, DateTimeOffset MadeAt);

    public static IReadOnlyList<Kept> List(string parent) =>
        !Directory.Exists(parent) ? []
        : Directory.EnumerateDirectories(parent, BackupWriter.NamePrefix + "*")
            .Where(d => File.Exists(Path.Combine(d, BackupManifest.FileName)))
            .Select(d => Path.GetFileName(d))
            .Select(name => (name, at: MadeAt(name)))
            .Where(b => b.at is not null)
            .Select(b => new Kept(b.name, b.at!.Value))
            .OrderByDescending(b => b.MadeAt).ThenByDescending(b => b.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Removes what the retention no longer keeps; returns the backups removed, oldest first.</summary>
    public static IReadOnlyList<string> Prune(string parent, int keep, int keepDays, DateTimeOffset now)
    {
        var backups = List(parent);
        var removed = backups
            .Select((backup, index) => (backup, index))
            .Where(b => b.index > 0 && ((keep > 0 && b.index >= keep) || (keepDays > 0 && b.backup.MadeAt < now.AddDays(-keepDays))))
            .Select(b => b.backup.Name)
            .Reverse()
            .ToList();
        foreach (var name in removed) Directory.Delete(Path.Combine(parent, name), recursive: true);
        foreach (var stale in Directory.EnumerateDirectories(parent, BackupWriter.TempPrefix + "*")
                     .Where(d => Directory.GetLastWriteTimeUtc(d) < now.UtcDateTime.AddDays(-1)).ToList())
            BackupWriter.TryDelete(stale);
        return removed;
    }

    private static DateTimeOffset? MadeAt(string name)
    {
        var stamp = name.Length >= BackupWriter.NamePrefix.Length + 16 ? name.Substring(BackupWriter.NamePrefix.Length, 16) : "";
        return DateTime.TryParseExact(stamp, BackupWriter.NameTimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : null;
    }
}
