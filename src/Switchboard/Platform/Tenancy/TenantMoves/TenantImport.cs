using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;

namespace Switchboard.Platform.Tenancy.TenantMoves;

/// <summary>One verified part after an import: the source's rows and checksum against the target's.</summary>
public sealed record MoveCheck(string Table, long SourceRows, string SourceChecksum, long TargetRows, string TargetChecksum)
{
    public bool Ok => SourceRows == TargetRows && SourceChecksum == TargetChecksum;
}

public sealed record ImportReport(Guid TenantId, string Slug, IReadOnlyList<MoveCheck> Checks, int NewUsers, int ExistingUsers);

/// <summary>
/// <c>switchboard tenant import</c>: reads an archive from <see cref="TenantExport"/>, refuses a tampered file (SHA-256 per
/// file in the manifest), another schema version, or a tenant whose id or slug exists on the target; then writes every
/// part in one transaction through the owner connection, with the tenant set transaction-locally (COPY into a temporary
/// table, then INSERT … SELECT under the row-level security policies), recomputes every tenant table's rows and
/// checksum in SQL as the export did, and commits only when all match.
/// </summary>
public static class TenantImport
{
    public static async Task<ImportReport> RunAsync(string ownerConnectionString, string inPath, TextWriter output, CancellationToken ct)
    {
        using var zip = ZipFile.OpenRead(inPath);
        var manifest = await ReadManifestAsync(zip, ct);
        await VerifyFilesAsync(zip, manifest, ct);

        await using var conn = new NpgsqlConnection(ownerConnectionString);
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (version, schemaChecksum) = await MoveSession.SchemaAsync(conn, tx, ct);
        if (version != manifest.SchemaVersion || schemaChecksum != manifest.SchemaChecksum)
            throw new TenantMoveException($"The archive was exported at schema version {manifest.SchemaVersion}; this database is at {version}{(version == manifest.SchemaVersion ? " with different migrations" : "")}. Migrate both to the same version first.");
        // Two imports of the same tenant at once: the second waits here, then finds the first's tenant.
        await ExecAsync(conn, tx, "lock table tenants in share row exclusive mode", ct);
        if (await ScalarAsync(conn, tx, $"select slug from tenants where id = '{manifest.TenantId}'::uuid or slug = $1", ct, manifest.Slug) is string existing)
            throw new TenantMoveException($"This database already has the tenant {(existing == manifest.Slug ? $"'{existing}'" : $"{manifest.TenantId} (as '{existing}')")}: nothing imported.");
        await MoveSession.EnterAsync(conn, tx, manifest.TenantId, ct);
        var t = $"'{manifest.TenantId}'::uuid";
        // The archive names tables and columns; only what this database's catalog itself lists as the tenant's parts is written.
        var expected = (await MoveCatalog.PartsAsync(conn, tx, manifest.TenantId, ct)).Select(p => Signature(p.Kind, p.Table, p.Columns, p.ChecksumColumns, p.IdentityColumn)).ToList();
        var offered = manifest.Parts.Select(p => Signature(p.Kind, p.Table, p.Columns, p.ChecksumColumns, p.IdentityColumn)).ToList();
        if (!expected.SequenceEqual(offered))
            throw new TenantMoveException($"The archive's tables do not match this database's: {string.Join("; ", offered.Except(expected).Concat(expected.Except(offered)).Take(5))}. Nothing imported.");

        int newUsers = 0, existingUsers = 0;
        string? breakGlass = null;
        var checks = new List<MoveCheck>();
        for (var i = 0; i < manifest.Parts.Count; i++)
        {
            var entry = manifest.Parts[i];
            var part = new MovePart(entry.Kind, entry.Table, entry.Columns, Filter(entry.Kind, t), entry.ChecksumColumns, entry.IdentityColumn);
            var stage = $"move_stage_{i}";
            await ExecAsync(conn, tx, $"create temp table {stage} on commit drop as select {part.ColumnList} from {MovePart.Quote(part.Table)} with no data", ct);
            await using (var writer = await conn.BeginTextImportAsync($"copy {stage} ({part.ColumnList}) from stdin", ct))
            using (var reader = new StreamReader(zip.GetEntry(entry.File)!.Open()))
            {
                var buffer = new char[64 * 1024];
                int read;
                while ((read = await reader.ReadAsync(buffer, ct)) > 0) await writer.WriteAsync(buffer.AsMemory(0, read), ct);
            }

            var table = MovePart.Quote(part.Table);
            var cols = part.ColumnList;
            switch (entry.Kind)
            {
                case MovePartKind.Tenant:
                    // The break-glass user is a user imported next; set it once the users are there.
                    breakGlass = (await ScalarAsync(conn, tx, $"select sso_break_glass_user_id::text from {stage}", ct)) as string;
                    await ExecAsync(conn, tx, $"insert into tenants ({cols}) select {Replace(part, "sso_break_glass_user_id", "null")} from {stage}", ct);
                    break;
                case MovePartKind.Users:
                    if (await ScalarAsync(conn, tx, $"select string_agg(s.email, ', ') from {stage} s join users u on u.normalized_user_name = s.normalized_user_name and u.id <> s.id", ct) is string clash)
                        throw new TenantMoveException($"Users with these emails exist on this database under other ids: {clash}. Nothing imported.");
                    existingUsers = Convert.ToInt32(await ScalarAsync(conn, tx, $"select count(*) from {stage} s where exists (select from users u where u.id = s.id)", ct));
                    await ExecAsync(conn, tx, "create temp table move_new_users (id uuid primary key) on commit drop", ct);
                    await ExecAsync(conn, tx, $"insert into move_new_users select id from {stage} s where not exists (select from users u where u.id = s.id)", ct);
                    newUsers = await ExecAsync(conn, tx, $"""
                        insert into users ({cols})
                        select {Replace(part, "last_tenant_id", "case when exists (select from tenants x where x.id = s.last_tenant_id) then s.last_tenant_id end")}
                        from {stage} s where s.id in (select id from move_new_users)
                        """, ct);
                    break;
                case MovePartKind.UserTable:
                    await ExecAsync(conn, tx, $"insert into {table} ({cols}) select {cols} from {stage} where user_id in (select id from move_new_users)", ct);
                    break;
                case MovePartKind.ProtectionKeys:
                    await ExecAsync(conn, tx, $"insert into {table} ({cols}) select {cols} from {stage} s where not exists (select from {table} k where k.xml = s.xml)", ct);
                    break;
                case MovePartKind.TenantTable when part.Table == "audit_log":
                    // The rows arrive sealed (audit_chain below): the seal trigger must not chain them a second time.
                    await ExecAsync(conn, tx, "alter table audit_log disable trigger audit_log_seal", ct);
                    await ExecAsync(conn, tx, $"insert into audit_log ({cols}) select {cols} from {stage}", ct);
                    await ExecAsync(conn, tx, "alter table audit_log enable trigger audit_log_seal", ct);
                    break;
                case MovePartKind.TenantTable:
                    // ON CONFLICT: rows a trigger already wrote for an earlier table (search_terms from leads); counts verify the rest.
                    await ExecAsync(conn, tx, $"insert into {table} ({cols}) {(part.IdentityColumn is null ? "" : "overriding system value ")}select {cols} from {stage} on conflict do nothing", ct);
                    if (part.IdentityColumn is { } identity)
                        await ExecAsync(conn, tx, $"""
                            select setval(q.s, greatest((select max({MovePart.Quote(identity)}) from {stage}), coalesce(pg_sequence_last_value(q.s), 1)))
                            from (select pg_get_serial_sequence('public.{part.Table}', '{identity}')::regclass s) q
                            """, ct);
                    break;
                case MovePartKind.AuditChain when part.IdentityColumn is { } ordinal:
                    var rest = string.Join(", ", part.Columns.Where(c => c != ordinal).Select(MovePart.Quote));
                    await ExecAsync(conn, tx, $"insert into {table} ({rest}) select {rest} from {stage} order by {MovePart.Quote(ordinal)}", ct);
                    break;
                case MovePartKind.AuditChain:
                    await ExecAsync(conn, tx, $"insert into {table} ({cols}) select {cols} from {stage}", ct);
                    break;
            }
        }
        if (breakGlass is not null)
            await ExecAsync(conn, tx, $"update tenants set sso_break_glass_user_id = '{Guid.Parse(breakGlass)}'::uuid where id = {t}", ct);

        foreach (var entry in manifest.Parts.Where(p => p.Kind is MovePartKind.Tenant or MovePartKind.TenantTable or MovePartKind.AuditChain))
        {
            var part = new MovePart(entry.Kind, entry.Table, entry.Columns, Filter(entry.Kind, t), entry.ChecksumColumns, entry.IdentityColumn);
            var (rows, checksum) = await MoveSession.ChecksumAsync(conn, tx, part, ct);
            var check = new MoveCheck(entry.Table, entry.Rows, entry.Checksum, rows, checksum);
            checks.Add(check);
            await output.WriteLineAsync($"{entry.Table,-32} {rows,10:N0} rows  {checksum}  {(check.Ok ? "ok" : $"MISMATCH: the archive has {entry.Rows:N0} rows, {entry.Checksum}")}");
        }
        await output.WriteLineAsync($"Users: {newUsers:N0} added, {existingUsers:N0} already here (kept as they are).");
        var bad = checks.Where(c => !c.Ok).ToList();
        if (bad.Count > 0)
        {
            await tx.RollbackAsync(ct);
            throw new TenantMoveException($"{bad.Count} table(s) differ from the archive after the import ({string.Join(", ", bad.Select(b => b.Table))}): rolled back, nothing imported.");
        }
        await tx.CommitAsync(ct);
        await output.WriteLineAsync($"Imported tenant {manifest.Slug} ({manifest.TenantId}): {checks.Count} tables verified (rows and checksums match the archive).");
        return new ImportReport(manifest.TenantId, manifest.Slug, checks, newUsers, existingUsers);
    }

    private static string Signature(MovePartKind kind, string table, IEnumerable<string> columns, IEnumerable<string> summed, string? identity) =>
        $"{kind} {table} ({string.Join(", ", columns)}; checksum {string.Join(", ", summed)}{(identity is null ? "" : $"; identity {identity}")})";

    private static string Filter(MovePartKind kind, string tenant) => kind switch
    {
        MovePartKind.Tenant => $"id = {tenant}",
        MovePartKind.TenantTable => $"tenant_id = {tenant}",
        MovePartKind.AuditChain => $"chain_id = {tenant}",
        _ => "false", // users, user tables and keys are written by id and not compared (a user already here keeps their row)
    };

    private static string Replace(MovePart part, string column, string expression) =>
        string.Join(", ", part.Columns.Select(c => c == column ? expression : MovePart.Quote(c)));

    private static async Task<MoveManifest> ReadManifestAsync(ZipArchive zip, CancellationToken ct)
    {
        var entry = zip.GetEntry(MoveManifest.EntryName) ?? throw new TenantMoveException("The archive has no manifest.json: not a tenant export.");
        await using var stream = entry.Open();
        var manifest = await JsonSerializer.DeserializeAsync<MoveManifest>(stream, MoveManifest.Json, ct) ?? throw new TenantMoveException("manifest.json is empty.");
        if (manifest.Format != MoveManifest.CurrentFormat) throw new TenantMoveException($"The archive's format {manifest.Format} is not {MoveManifest.CurrentFormat}.");
        return manifest;
    }

    private static async Task VerifyFilesAsync(ZipArchive zip, MoveManifest manifest, CancellationToken ct)
    {
        foreach (var part in manifest.Parts)
        {
            var entry = zip.GetEntry(part.File) ?? throw new TenantMoveException($"The archive lacks {part.File} ({part.Table}).");
            await using var stream = entry.Open();
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
            if (sha != part.Sha256) throw new TenantMoveException($"{part.File} ({part.Table}) was changed after the export: its SHA-256 is {sha}, the manifest says {part.Sha256}. Nothing imported.");
        }
    }

    private static async Task<int> ExecAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var arg in args) cmd.Parameters.Add(new() { Value = arg });
        var value = await cmd.ExecuteScalarAsync(ct);
        return value is DBNull ? null : value;
    }
}
