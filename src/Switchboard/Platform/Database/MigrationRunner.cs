using System.Reflection;
using System.Security.Cryptography;
using Npgsql;

namespace Switchboard.Platform.Database;

public sealed record Migration(int Version, string Name, string Sql, string Checksum);

public sealed record MigrationStatus(int Version, string Name, bool Applied, DateTimeOffset? AppliedAt);

public sealed class MigrationChecksumMismatchException(int version, string name)
    : Exception($"Migration {version:D4}_{name} was changed after it was applied (checksum differs). Applied migrations are immutable: add a new migration instead.");

/// <summary>
/// Applies the embedded, forward-only SQL migrations in order, one transaction each, under a
/// PostgreSQL advisory lock so that instances starting together never race.
/// </summary>
[Singleton]
public sealed class MigrationRunner(ILogger<MigrationRunner> logger)
{
    private const long AdvisoryLockKey = 0x5357_4254_4D49_4752; // "SWBTMIGR"

    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    public async Task<int> ApplyAsync(string connectionString, CancellationToken ct = default, IReadOnlyList<Migration>? migrations = null)
    {
        await using var conn = await OpenAsync(connectionString, ct);
        await conn.ExecAsync($"select pg_advisory_lock({AdvisoryLockKey})", ct);
        try
        {
            await EnsureHistoryTableAsync(conn, ct);
            var applied = await ReadAppliedAsync(conn, ct);
            var count = 0;
            foreach (var migration in migrations ?? Embedded)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum) throw new MigrationChecksumMismatchException(migration.Version, migration.Name);
                    continue;
                }
                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var cmd = new NpgsqlCommand(migration.Sql, conn, tx)) await cmd.ExecuteNonQueryAsync(ct);
                await using (var record = new NpgsqlCommand(
                                 "insert into schema_migrations (version, name, checksum, applied_at) values ($1, $2, $3, now())", conn, tx))
                {
                    record.Parameters.Add(new() { Value = migration.Version });
                    record.Parameters.Add(new() { Value = migration.Name });
                    record.Parameters.Add(new() { Value = migration.Checksum });
                    await record.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied migration {Version:D4}_{Name}", migration.Version, migration.Name);
                count++;
            }
            return count;
        }
        finally
        {
            await conn.ExecAsync($"select pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>Every embedded migration with whether it is applied; throws when an applied one has changed.</summary>
    public async Task<IReadOnlyList<MigrationStatus>> StatusAsync(string connectionString, CancellationToken ct = default, IReadOnlyList<Migration>? migrations = null)
    {
        await using var conn = await OpenAsync(connectionString, ct);
        var applied = await ReadAppliedWithTimesAsync(conn, ct);
        var result = new List<MigrationStatus>();
        foreach (var migration in migrations ?? Embedded)
        {
            if (applied.TryGetValue(migration.Version, out var row))
            {
                if (row.Checksum != migration.Checksum) throw new MigrationChecksumMismatchException(migration.Version, migration.Name);
                result.Add(new(migration.Version, migration.Name, true, row.AppliedAt));
            }
            else
            {
                result.Add(new(migration.Version, migration.Name, false, null));
            }
        }
        return result;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        // A dedicated, unpooled connection: the advisory lock is held by this session only.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 };
        var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync(ct);
        return conn;
    }

    private static Task EnsureHistoryTableAsync(NpgsqlConnection conn, CancellationToken ct) => conn.ExecAsync("""
        create table if not exists schema_migrations (
          version    integer primary key,
          name       text not null,
          checksum   text not null,
          applied_at timestamptz not null
        )
        """, ct);

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection conn, CancellationToken ct) =>
        (await ReadAppliedWithTimesAsync(conn, ct)).ToDictionary(kv => kv.Key, kv => kv.Value.Checksum);

    private static async Task<Dictionary<int, (string Checksum, DateTimeOffset AppliedAt)>> ReadAppliedWithTimesAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var result = new Dictionary<int, (string, DateTimeOffset)>();
        if (await conn.ScalarAsync("select to_regclass('schema_migrations') is not null", ct) is not true) return result;
        await using var cmd = new NpgsqlCommand("select version, checksum, applied_at from schema_migrations", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result[reader.GetInt32(0)] = (reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
        return result;
    }

    private static IReadOnlyList<Migration> LoadEmbedded()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        const string prefix = "Switchboard.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Parse(assembly, n, n[prefix.Length..^4]))
            .OrderBy(m => m.Version)
            .ToList();
    }

    private static Migration Parse(Assembly assembly, string resource, string fileName)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return FromText(fileName, reader.ReadToEnd());
    }

    public static Migration FromText(string fileName, string text)
    {
        var separator = fileName.IndexOf('_');
        if (separator != 4 || !int.TryParse(fileName[..4], out var version))
            throw new InvalidOperationException($"Migration file '{fileName}.sql' must be named NNNN_name.sql.");
        var sql = text.Replace("\r\n", "\n");
        var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sql))).ToLowerInvariant();
        return new Migration(version, fileName[5..], sql, checksum);
    }


}
