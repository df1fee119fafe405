using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Switchboard.Platform.Tenancy.TenantMoves;

/// <summary>manifest.json of a tenant archive: where it came from, the schema it needs, and every part with its rows and checksums.</summary>
public sealed record MoveManifest(
    int Format, Guid TenantId, string Slug, string Name, int SchemaVersion, string SchemaChecksum, DateTimeOffset ExportedAt,
    IReadOnlyList<MoveManifestPart> Parts, IReadOnlyList<string> Files, string FilesNote)
{
    public const int CurrentFormat = 1;
    public const string EntryName = "manifest.json";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
}

/// <summary>One part in the manifest: its file in the archive, the file's SHA-256, and the rows and SQL checksum on the source.</summary>
public sealed record MoveManifestPart(
    MovePartKind Kind, string Table, string File, string Sha256, long Rows, string Checksum,
    IReadOnlyList<string> Columns, IReadOnlyList<string> ChecksumColumns, string? IdentityColumn);

/// <summary>
/// <c>switchboard tenant export</c>: one tenant's rows from every tenant table (and its tenant row, users, audit chain and
/// the Data Protection keys) into a zip: one COPY text file per table and manifest.json. It reads through the owner
/// connection in one REPEATABLE READ transaction (one snapshot), with the tenant set transaction-locally so the
/// row-level security policies, which hold for the owner too, show exactly that tenant's rows.
/// </summary>
public static class TenantExport
{
    public const string FilesNote =
        "Switchboard keeps no file store: recordings stay at the telephony provider's URL (calls.recording_url) and uploaded files (import_files.data) are rows, so they travel in the tables.";

    public static async Task<MoveManifest> RunAsync(string ownerConnectionString, string slug, string outPath, TimeProvider time, TextWriter output, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(ownerConnectionString);
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var (tenantId, name) = await FindTenantAsync(conn, tx, slug, ct) ?? throw new TenantMoveException($"No tenant has the slug '{slug}'.");
        await MoveSession.EnterAsync(conn, tx, tenantId, ct);
        var (version, schemaChecksum) = await MoveSession.SchemaAsync(conn, tx, ct);
        var parts = await MoveCatalog.PartsAsync(conn, tx, tenantId, ct);

        var partial = outPath + ".partial";
        try
        {
            return await WriteAsync(conn, tx, parts, tenantId, slug, name, version, schemaChecksum, partial, outPath, time, output, ct);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private static async Task<MoveManifest> WriteAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, List<MovePart> parts, Guid tenantId, string slug, string name, int version, string schemaChecksum,
        string partial, string outPath, TimeProvider time, TextWriter output, CancellationToken ct)
    {
        var entries = new List<MoveManifestPart>();
        MoveManifest manifest;
        await using (var file = File.Create(partial))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            for (var i = 0; i < parts.Count; i++)
            {
                var part = parts[i];
                var entryName = $"tables/{i:D3}_{part.Table}.copy";
                var sha = await WriteEntryAsync(zip, entryName, conn, part, ct);
                var (rows, checksum) = await MoveSession.ChecksumAsync(conn, tx, part, ct);
                entries.Add(new MoveManifestPart(part.Kind, part.Table, entryName, sha, rows, checksum, part.Columns, part.ChecksumColumns, part.IdentityColumn));
                await output.WriteLineAsync($"{part.Table,-32} {rows,10:N0} rows  {checksum}");
            }
            manifest = new MoveManifest(MoveManifest.CurrentFormat, tenantId, slug, name, version, schemaChecksum, time.GetUtcNow(), entries, [], FilesNote);
            var entry = zip.CreateEntry(MoveManifest.EntryName, CompressionLevel.Optimal);
            await using var stream = entry.Open();
            await JsonSerializer.SerializeAsync(stream, manifest, MoveManifest.Json, ct);
        }
        await tx.CommitAsync(ct);
        File.Move(partial, outPath, overwrite: true);
        await output.WriteLineAsync($"Exported tenant {slug} ({tenantId}): {entries.Where(e => e.Kind == MovePartKind.TenantTable).Sum(e => e.Rows):N0} rows in {entries.Count(e => e.Kind == MovePartKind.TenantTable)} tenant tables, schema version {version}, to {outPath}.");
        return manifest;
    }

    private static async Task<string> WriteEntryAsync(ZipArchive zip, string name, NpgsqlConnection conn, MovePart part, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var stream = entry.Open();
        using var reader = await conn.BeginTextExportAsync(part.CopyOutSql, ct);
        var buffer = new char[64 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
        {
            var bytes = Encoding.UTF8.GetBytes(buffer, 0, read);
            sha.AppendData(bytes);
            await stream.WriteAsync(bytes, ct);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static async Task<(Guid, string)?> FindTenantAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string slug, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select id, name from tenants where slug = $1", conn, tx) { Parameters = { new() { Value = slug } } };
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetGuid(0), reader.GetString(1)) : null;
    }
}

/// <summary>A tenant move that cannot go on (unknown tenant, wrong schema, tenant already there, tampered archive, mismatch).</summary>
public sealed class TenantMoveException(string message) : Exception(message);

/// <summary>The session settings both sides use inside their one transaction, and the shared SQL.</summary>
internal static class MoveSession
{
    /// <summary>Enters the tenant transaction-locally and fixes the text forms the checksums depend on.</summary>
    public static async Task EnterAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid tenantId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select set_config('app.tenant_id', $1, true), set_config('app.user_id', '', true), set_config('app.platform', '', true),
                   set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true), set_config('IntervalStyle', 'postgres', true),
                   set_config('extra_float_digits', '1', true), set_config('bytea_output', 'hex', true)
            """, conn, tx) { Parameters = { new() { Value = tenantId.ToString() } } };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<(int Version, string Checksum)> SchemaAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "select coalesce(max(version), 0), coalesce(md5(string_agg(version || ':' || checksum, ',' order by version)), '') from schema_migrations", conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt32(0), reader.GetString(1));
    }

    public static async Task<(long Rows, string Checksum)> ChecksumAsync(NpgsqlConnection conn, NpgsqlTransaction tx, MovePart part, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(part.ChecksumSql, conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetString(1));
    }
}
