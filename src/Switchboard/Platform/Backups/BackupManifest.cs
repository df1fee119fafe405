using System.Reflection;
using System.Security.Cryptography;

namespace Switchboard.Platform.Backups;

/// <summary>
/// manifest.json, the last file written into a backup: what the backup holds and how to check it. A folder without
/// one is not a backup.
/// </summary>
public sealed record BackupManifest(
    int FormatVersion,
    string AppVersion,
    DateTimeOffset CreatedAt,
    string Database,
    string ServerVersion,
    string ChecksumMethod,
    IReadOnlyList<ManifestMigration> Migrations,
    IReadOnlyList<TableSummary> Tables,
    IReadOnlyList<ManifestFile> Files,
    ManifestFile Dump)
{
    public const int CurrentFormat = 1;
    public const string FileName = "manifest.json";
    public const string DumpFileName = "database.dump";
    public const string FilesFolder = "files";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string CurrentAppVersion =>
        typeof(BackupManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public long TotalRows => Tables.Sum(t => t.Rows);

    public async Task WriteAsync(string folder, CancellationToken ct)
    {
        await using var stream = File.Create(Path.Combine(folder, FileName));
        await JsonSerializer.SerializeAsync(stream, this, Json, ct);
        await stream.FlushAsync(ct);
        stream.Flush(flushToDisk: true);
    }

    public static async Task<BackupManifest> ReadAsync(string folder, CancellationToken ct)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new BackupException($"{folder} is not a complete backup: it has no {FileName}.");
        await using var stream = File.OpenRead(path);
        var manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(stream, Json, ct)
                       ?? throw new BackupException($"{path} is empty.");
        if (manifest.FormatVersion != CurrentFormat)
            throw new BackupException($"{path} has format {manifest.FormatVersion}; this version of Switchboard reads format {CurrentFormat}.");
        return manifest;
    }
}

public sealed record ManifestMigration(int Version, string Name, string Checksum);

/// <summary>A file in the backup: its path relative to the files folder ('/'-separated), size and SHA-256 (hex).</summary>
public sealed record ManifestFile(string Path, long Size, string Sha256)
{
    public static async Task<ManifestFile> OfAsync(string fullPath, string relativePath, CancellationToken ct)
    {
        await using var stream = File.OpenRead(fullPath);
        var hash = await SHA256.HashDataAsync(stream, ct);
        return new ManifestFile(relativePath, stream.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>Every file under <paramref name="root"/>, by relative path in ordinal order.</summary>
    public static IEnumerable<(string FullPath, string RelativePath)> Under(string root) =>
        System.IO.Directory.Exists(root)
            ? System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(f => (f, System.IO.Path.GetRelativePath(root, f).Replace(System.IO.Path.DirectorySeparatorChar, '/')))
                .OrderBy(f => f.Item2, StringComparer.Ordinal)
            : [];
}
