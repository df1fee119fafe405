using Npgsql;

namespace Switchboard.Platform.Backups;

/// <summary>
/// What <c>switchboard restore</c> does. <see cref="Target"/> null means a scratch database, created on the backup
/// connection's server and dropped afterwards (unless <see cref="KeepScratch"/>): the weekly drill.
/// <see cref="CheckOnly"/> compares an already restored database with the manifest and restores nothing.
/// </summary>
public sealed record RestoreRequest(string BackupFolder, string? Target, string? FilesTo, bool Verify, bool CheckOnly = false, bool KeepScratch = false);

/// <summary>How a restore went: the mismatches found (empty when none), and where the database and files went.</summary>
public sealed record RestoreOutcome(IReadOnlyList<string> Mismatches, string Database, string? FilesFolder, bool Verified)
{
    public bool Ok => Mismatches.Count == 0;
}

/// <summary>
/// Restores a backup with pg_restore into an EMPTY database (anything else is refused: a restore never merges), copies
/// its files into an empty folder, and with verification recomputes every table's row count and checksum and every
/// file's SHA-256 and compares them with the manifest.
/// </summary>
[Singleton]
public sealed class BackupRestorer(IOptions<BackupOptions> options, BackupWriter writer, TimeProvider clock)
{
    public async Task<RestoreOutcome> RestoreAsync(RestoreRequest request, TextWriter output, CancellationToken ct)
    {
        var folder = Path.GetFullPath(request.BackupFolder);
        var manifest = await BackupManifest.ReadAsync(folder, ct);
        await output.WriteLineAsync($"Backup {Path.GetFileName(folder)}: made {manifest.CreatedAt:u} by Switchboard {manifest.AppVersion}, " +
                                    $"{manifest.Tables.Count:N0} tables, {manifest.TotalRows:N0} rows, {manifest.Files.Count:N0} files, " +
                                    $"migrations up to {manifest.Migrations.LastOrDefault()?.Version.ToString("D4", CultureInfo.InvariantCulture) ?? "none"}.");
        if (request.CheckOnly) return await CheckAsync(manifest, request, ct);

        if (await BackupVerifier.CheckDumpAsync(manifest, folder, ct) is { } damaged)
            return new RestoreOutcome([damaged], request.Target ?? "(none)", null, Verified: false);

        var scratch = request.Target is null;
        var target = request.Target ?? await CreateScratchDatabaseAsync(ct);
        var filesTo = request.FilesTo is { } given ? Path.GetFullPath(given)
            : manifest.Files.Count == 0 ? null
            : scratch ? Path.Combine(Path.GetTempPath(), $"switchboard-restore-{Guid.NewGuid():N}")
            : throw new BackupException($"The backup holds {manifest.Files.Count:N0} files: say where they go with --files-to DIR.");
        var targetName = new NpgsqlConnectionStringBuilder(target).Database ?? "(default)";
        try
        {
            await RefuseNonEmptyAsync(target, targetName, ct);
            if (filesTo is not null && Directory.Exists(filesTo) && Directory.EnumerateFileSystemEntries(filesTo).Any())
                throw new BackupException($"The files folder {filesTo} is not empty: restore only copies files into an empty folder.");

            await new PgTools(options.Value.PgBinDirectory).RunAsync("pg_restore", target,
                ["--exit-on-error", "--single-transaction", "--no-password", $"--dbname={targetName}", Path.Combine(folder, BackupManifest.DumpFileName)], ct);
            await output.WriteLineAsync($"Restored the database into {targetName}.");
            if (filesTo is not null)
            {
                CopyFiles(Path.Combine(folder, BackupManifest.FilesFolder), filesTo);
                await output.WriteLineAsync($"Restored {manifest.Files.Count:N0} files into {filesTo}.");
            }

            if (!request.Verify) return new RestoreOutcome([], targetName, filesTo, Verified: false);
            var mismatches = (await BackupVerifier.CompareDatabaseAsync(manifest, target, ct)).ToList();
            if (filesTo is not null) mismatches.AddRange(await BackupVerifier.CompareFilesAsync(manifest, filesTo, ct));
            return new RestoreOutcome(mismatches, targetName, filesTo, Verified: true);
        }
        finally
        {
            if (scratch && !request.KeepScratch)
            {
                await DropDatabaseAsync(target, ct);
                if (filesTo is not null && request.FilesTo is null) BackupWriter.TryDelete(filesTo);
            }
        }
    }

    private static async Task<RestoreOutcome> CheckAsync(BackupManifest manifest, RestoreRequest request, CancellationToken ct)
    {
        var target = request.Target ?? throw new BackupException("--check-only needs --target CONNSTRING (the restored database to compare).");
        var mismatches = (await BackupVerifier.CompareDatabaseAsync(manifest, target, ct)).ToList();
        var filesTo = request.FilesTo is { } given ? Path.GetFullPath(given) : null;
        if (filesTo is not null) mismatches.AddRange(await BackupVerifier.CompareFilesAsync(manifest, filesTo, ct));
        else if (manifest.Files.Count > 0) throw new BackupException($"The backup holds {manifest.Files.Count:N0} files: give --files-to DIR, the folder to compare.");
        return new RestoreOutcome(mismatches, new NpgsqlConnectionStringBuilder(target).Database ?? "(default)", filesTo, Verified: true);
    }

    private static async Task RefuseNonEmptyAsync(string target, string name, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(target);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            select count(*), min(format('%I.%I', n.nspname, c.relname))
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\_toast%' and n.nspname not like 'pg\_temp%'
              and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var count = reader.GetInt64(0);
        if (count > 0)
            throw new BackupException($"The target database {name} is not empty ({count:N0} tables, views or sequences, e.g. {reader.GetString(1)}): " +
                                      "restore only restores into an empty database. Create one (createdb -O switchboard_owner NAME) and give it as --target.");
    }

    private async Task<string> CreateScratchDatabaseAsync(CancellationToken ct)
    {
        var name = $"switchboard_verify_{clock.GetUtcNow().UtcDateTime:yyyyMMddHHmmss}_{Guid.NewGuid().ToString("N")[..6]}";
        await using (var conn = new NpgsqlConnection(Maintenance(writer.ConnectionString)))
        {
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand($"create database \"{name}\" template template0", conn);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return new NpgsqlConnectionStringBuilder(writer.ConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }

    private async Task DropDatabaseAsync(string target, CancellationToken ct)
    {
        var name = new NpgsqlConnectionStringBuilder(target).Database;
        await using var conn = new NpgsqlConnection(Maintenance(writer.ConnectionString));
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string Maintenance(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;

    private static void CopyFiles(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var (fullPath, relativePath) in ManifestFile.Under(from))
        {
            var copy = Path.Combine(to, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(fullPath, copy);
        }
    }
}
