using System.Data;
using Npgsql;

namespace Switchboard.Platform.Backups;

/// <summary>What one backup made: its folder and manifest.</summary>
public sealed record BackupResult(string Folder, BackupManifest Manifest)
{
    public string Name => Path.GetFileName(Folder);

    public long Bytes => Manifest.Dump.Size + Manifest.Files.Sum(f => f.Size);
}

/// <summary>
/// Makes a backup folder under a parent folder: <c>database.dump</c> (pg_dump custom format), <c>files/</c> (a copy of
/// <c>Backup:FilesDirectory</c>) and <c>manifest.json</c>. The dump and the manifest's row counts and checksums read
/// one snapshot: a repeatable-read transaction exports it and pg_dump imports it (--snapshot), so they agree even while
/// the app writes. Everything is written into <c>.tmp-…</c> and renamed when complete; a failure removes it, and a
/// crash leaves only a <c>.tmp-</c> folder, which is never taken for a backup and is swept by the next scheduled run.
/// </summary>
[Singleton]
public sealed class BackupWriter(IOptions<BackupOptions> options, DatabaseConnections connections, TimeProvider clock)
{
    public const string NamePrefix = "switchboard-";
    public const string TempPrefix = ".tmp-";
    public const string NameTimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    public string ConnectionString => string.IsNullOrWhiteSpace(options.Value.ConnectionString) ? connections.Migrations : options.Value.ConnectionString;

    public async Task<BackupResult> CreateAsync(string parent, CancellationToken ct)
    {
        parent = Path.GetFullPath(parent);
        Directory.CreateDirectory(parent);
        var createdAt = clock.GetUtcNow();
        var name = UniqueName(parent, createdAt);
        var temp = Path.Combine(parent, $"{TempPrefix}{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var (database, tables, migrations, serverVersion) = await DumpAsync(temp, ct);
            var files = await CopyFilesAsync(Path.Combine(temp, BackupManifest.FilesFolder), ct);
            var dump = await ManifestFile.OfAsync(Path.Combine(temp, BackupManifest.DumpFileName), BackupManifest.DumpFileName, ct);
            var manifest = new BackupManifest(BackupManifest.CurrentFormat, BackupManifest.CurrentAppVersion, createdAt, database, serverVersion,
                TableChecksums.Method, migrations, tables, files, dump);
            await manifest.WriteAsync(temp, ct);
            var folder = Path.Combine(parent, name);
            Directory.Move(temp, folder);
            return new BackupResult(folder, manifest);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private async Task<(string Database, IReadOnlyList<TableSummary> Tables, IReadOnlyList<ManifestMigration> Migrations, string ServerVersion)> DumpAsync(
        string temp, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        string snapshot;
        await using (var export = new NpgsqlCommand("select pg_export_snapshot()", conn, tx)) snapshot = (string)(await export.ExecuteScalarAsync(ct))!;

        using var dumpCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var dumping = new PgTools(options.Value.PgBinDirectory).RunAsync("pg_dump", ConnectionString,
            ["--format=custom", $"--snapshot={snapshot}", $"--file={Path.Combine(temp, BackupManifest.DumpFileName)}", "--no-password"], dumpCancel.Token);
        try
        {
            var tables = await TableChecksums.ComputeAsync(conn, tx, ct);
            var migrations = await MigrationsAsync(conn, tx, ct);
            await using var info = new NpgsqlCommand("select current_database(), current_setting('server_version')", conn, tx);
            await using var reader = await info.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var (database, version) = (reader.GetString(0), reader.GetString(1));
            await reader.CloseAsync();
            await dumping;
            await tx.CommitAsync(ct);
            return (database, tables, migrations, version);
        }
        catch
        {
            await dumpCancel.CancelAsync();
            try
            {
                await dumping;
            }
            catch (Exception e) when (e is OperationCanceledException or BackupException)
            {
                // The first failure is the one to report.
            }
            throw;
        }
    }

    private static async Task<IReadOnlyList<ManifestMigration>> MigrationsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "select version, name, checksum from schema_migrations where to_regclass('schema_migrations') is not null order by version", conn, tx);
        var migrations = new List<ManifestMigration>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) migrations.Add(new ManifestMigration(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        return migrations;
    }

    /// <summary>Copies the file store; each file is hashed from its copy, so the manifest describes what the backup holds.</summary>
    private async Task<IReadOnlyList<ManifestFile>> CopyFilesAsync(string target, CancellationToken ct)
    {
        var source = options.Value.FilesDirectory;
        var files = new List<ManifestFile>();
        if (string.IsNullOrWhiteSpace(source)) return files;
        if (!Directory.Exists(source)) throw new BackupException($"Backup:FilesDirectory {source} does not exist.");
        foreach (var (fullPath, relativePath) in ManifestFile.Under(source))
        {
            var copy = Path.Combine(target, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            try
            {
                File.Copy(fullPath, copy);
            }
            catch (FileNotFoundException)
            {
                continue; // deleted while we copied (retention, say): it is gone from the store too
            }
            files.Add(await ManifestFile.OfAsync(copy, relativePath, ct));
        }
        return files;
    }

    private static string UniqueName(string parent, DateTimeOffset at)
    {
        var name = NamePrefix + at.UtcDateTime.ToString(NameTimeFormat, CultureInfo.InvariantCulture);
        var candidate = name;
        for (var n = 2; Directory.Exists(Path.Combine(parent, candidate)); n++) candidate = $"{name}-{n}";
        return candidate;
    }

    internal static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A .tmp- folder is never taken for a backup; the next scheduled run sweeps it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
