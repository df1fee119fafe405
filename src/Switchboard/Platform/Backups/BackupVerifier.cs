using System.Data;
using Npgsql;

namespace Switchboard.Platform.Backups;

/// <summary>
/// Compares a restored database and file folder with a backup's manifest: the row count and checksum of every table,
/// the SHA-256 of every file, and what is on one side only. One line per mismatch.
/// </summary>
public static class BackupVerifier
{
    public static async Task<IReadOnlyList<string>> CompareDatabaseAsync(BackupManifest manifest, string connectionString, CancellationToken ct)
    {
        IReadOnlyList<TableSummary> actual;
        await using (var conn = new NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            actual = await TableChecksums.ComputeAsync(conn, tx, ct);
            await tx.CommitAsync(ct);
        }
        return CompareTables(manifest.Tables, actual);
    }

    public static IReadOnlyList<string> CompareTables(IReadOnlyList<TableSummary> expected, IReadOnlyList<TableSummary> actual)
    {
        var problems = new List<string>();
        var found = actual.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var table in expected)
        {
            if (!found.Remove(table.Name, out var restored))
                problems.Add($"table {table.Name}: in the backup ({table.Rows:N0} rows), missing from the database");
            else if (restored.Rows != table.Rows)
                problems.Add($"table {table.Name}: {table.Rows:N0} rows in the backup, {restored.Rows:N0} in the database");
            else if (restored.Checksum != table.Checksum)
                problems.Add($"table {table.Name}: checksum differs with the same {table.Rows:N0} rows (a row's content changed)");
        }
        problems.AddRange(found.Keys.Order(StringComparer.Ordinal).Select(name => $"table {name}: in the database, not in the backup"));
        return problems;
    }

    public static async Task<IReadOnlyList<string>> CompareFilesAsync(BackupManifest manifest, string folder, CancellationToken ct)
    {
        var problems = new List<string>();
        var present = ManifestFile.Under(folder).ToDictionary(f => f.RelativePath, f => f.FullPath, StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            if (!present.Remove(file.Path, out var fullPath))
                problems.Add($"file {file.Path}: in the backup, missing from {folder}");
            else if ((await ManifestFile.OfAsync(fullPath, file.Path, ct)).Sha256 != file.Sha256)
                problems.Add($"file {file.Path}: SHA-256 differs from the manifest");
        }
        problems.AddRange(present.Keys.Select(path => $"file {path}: in {folder}, not in the backup"));
        return problems;
    }

    /// <summary>Null when the dump file is the one the manifest describes, or the reason it is not.</summary>
    public static async Task<string?> CheckDumpAsync(BackupManifest manifest, string backupFolder, CancellationToken ct)
    {
        var path = Path.Combine(backupFolder, BackupManifest.DumpFileName);
        if (!File.Exists(path)) return $"{BackupManifest.DumpFileName}: missing from {backupFolder}";
        var dump = await ManifestFile.OfAsync(path, BackupManifest.DumpFileName, ct);
        return dump.Sha256 == manifest.Dump.Sha256 ? null : $"{BackupManifest.DumpFileName}: SHA-256 differs from the manifest (damaged or changed)";
    }
}
