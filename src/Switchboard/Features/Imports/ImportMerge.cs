using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Switchboard.Features.CustomFields;

namespace Switchboard.Features.Imports;

/// <summary>
/// The set-based second phase of an import: from the staged rows to records, in one transaction. In order:
/// duplicates inside the file (by each match key, the first row wins), matches against existing records (by the
/// keys in order), two rows matching one record, the mode's rules (create skips matches, update skips the rest),
/// external ids that would collide, required fields of new records; then one INSERT … SELECT for new records and
/// one UPDATE … FROM for matched ones (a blank cell keeps the stored value), recording every change for undo.
/// Row-level security applies to every statement: the job runs inside the import's tenant.
/// </summary>
[Scoped]
public sealed class ImportMerge(SwitchboardDbContext db, CustomFieldValidator customFields, TimeProvider clock, AuditLog audit, ImportTargets targets, ILogger<ImportMerge> logger)
{
    /// <summary>The validated rows of the running import, in this session only (COPY cannot fill a table under RLS; no other session needs them).</summary>
    public const string CreateWorkTableSql = """
        drop table if exists import_work;
        create temp table import_work (
          row_no integer not null, id uuid not null, fields text[] not null, custom jsonb not null,
          match_id uuid, match_key text, skip_reason text, skip_column text, skip_value text,
          fail_reason text, fail_column text, fail_value text)
        """;

    /// <summary>Serializes the merges of one tenant's imports into one table (a transaction-level advisory lock).</summary>
    public const string MergeLockSql = "select pg_advisory_xact_lock(hashtextextended('import-merge:' || app_current_tenant() || ':' || @entity, 0))";

    public async Task RunAsync(Import import, CancellationToken ct)
    {
        var target = targets.ForEntity(import.Entity);
        var headerOf = ImportService.ReadMapping(import).Where(m => m.Value is not null)
            .ToDictionary(m => m.Value!, m => m.Key, StringComparer.Ordinal);
        var fields = await customFields.ForEntityAsync(import.Entity, ct);
        var now = clock.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        async Task Run(string sql, params (string Name, object? Value)[] parameters)
        {
            await using var command = new NpgsqlCommand(sql, connection, (NpgsqlTransaction)transaction.GetDbTransaction());
            command.CommandTimeout = 0;
            command.Parameters.AddWithValue("import", import.Id);
            command.Parameters.AddWithValue("entity", import.Entity);
            command.Parameters.AddWithValue("now", now);
            foreach (var (name, value) in parameters)
                command.Parameters.Add(value is null or string
                    ? new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.Text) { Value = value ?? DBNull.Value }
                    : new NpgsqlParameter(name, value));
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var rows = await command.ExecuteNonQueryAsync(ct);
            logger.LogDebug("Import {ImportId}: {Rows} rows in {Elapsed} by {Sql}", import.Id, rows,
                System.Diagnostics.Stopwatch.GetElapsedTime(started), sql.Length > 120 ? sql[..120] : sql);
        }
        string Cell(string field) => $"w.fields[{target.IndexOf(field) + 1}]";
        string? Header(string field) => headerOf.GetValueOrDefault(field);

        // One merge per tenant and table at a time: a second import waits here for the first to commit, then matches
        // against what it created, so two imports of the same new records cannot both create them.
        await Run(MergeLockSql);
        // A bulk insert into trigram (GIN) indexes: let the pending list grow and be merged in one sorted pass, with memory to sort in.
        await Run("set local gin_pending_list_limit = '256MB'; set local work_mem = '256MB'; set local maintenance_work_mem = '512MB'");
        await Run("analyze import_work");

        foreach (var key in import.MatchOn.Select(k => target.Key(k)!))
            await Run($"""
                update import_work w set skip_reason = format('Duplicate of row %s (same {key.Name}).', d.first_row),
                       skip_column = @header, skip_value = {Cell(key.Field)}
                from (select row_no, min(row_no) over (partition by fields[{target.IndexOf(key.Field) + 1}]) as first_row
                      from import_work where fields[{target.IndexOf(key.Field) + 1}] is not null and skip_reason is null) d
                where w.row_no = d.row_no and d.first_row < d.row_no
                """, ("header", Header(key.Field)));
        foreach (var key in import.MatchOn.Select(k => target.Key(k)!))
            await Run($"""
                update import_work w set match_id = e.id, match_key = @key
                from ({key.Existing}) e
                where w.match_id is null and w.skip_reason is null and {Cell(key.Field)} = e.key
                """, ("key", key.Name));
        await Run("""
            update import_work w set skip_reason = format('Matches the same %s as row %s.', @entity, d.first_row)
            from (select row_no, min(row_no) over (partition by match_id) as first_row
                  from import_work where match_id is not null and skip_reason is null) d
            where w.row_no = d.row_no and d.first_row < d.row_no
            """);
        if (import.Mode == ImportModes.Create)
            foreach (var key in import.MatchOn.Select(k => target.Key(k)!))
                await Run($"""
                    update import_work w set skip_reason = format('A %s with this {key.Name} already exists.', @entity),
                           skip_column = @header, skip_value = {Cell(key.Field)}
                    where match_key = @key and skip_reason is null
                    """, ("key", key.Name), ("header", Header(key.Field)));
        if (import.Mode == ImportModes.Update)
            await Run("update import_work set skip_reason = format('No existing %s matches this row.', @entity) where match_id is null and skip_reason is null");

        if (Header("externalId") is { } externalHeader)
        {
            await Run($"""
                update import_work w set fail_reason = format('Row %s has the same external id; external ids are unique.', d.first_row),
                       fail_column = @header, fail_value = {Cell("externalId")}
                from (select row_no, min(row_no) over (partition by fields[{target.IndexOf("externalId") + 1}]) as first_row
                      from import_work where fields[{target.IndexOf("externalId") + 1}] is not null and skip_reason is null) d
                where w.row_no = d.row_no and d.first_row < d.row_no and w.fail_reason is null
                """, ("header", externalHeader));
            await Run($"""
                update import_work w set fail_reason = format('Another %s already has this external id.', @entity),
                       fail_column = @header, fail_value = {Cell("externalId")}
                from {target.Table} t
                where t.external_id = {Cell("externalId")} and t.id is distinct from w.match_id and w.skip_reason is null and w.fail_reason is null
                """, ("header", externalHeader));
        }
        foreach (var field in target.Fields.Where(f => f.RequiredOnCreate))
            await Run($"""
                update import_work w set fail_reason = @reason, fail_column = @header
                where match_id is null and skip_reason is null and fail_reason is null and {Cell(field.Name)} is null
                """, ("reason", $"{field.Label} is required to create a {target.Entity}."), ("header", Header(field.Name)));
        foreach (var field in fields.Active.Where(f => f.Required))
            await Run("""
                update import_work w set fail_reason = @reason, fail_column = @header
                where match_id is null and skip_reason is null and fail_reason is null and not (custom ? @key)
                """, ("reason", $"{field.Label} is required to create a {target.Entity}."), ("header", Header(CustomFieldQueries.Prefix + field.Key)), ("key", field.Key));

        await Run(InsertSql(target));
        var mapped = target.Fields.Where(f => Header(f.Name) is not null).ToList();
        await Run(BeforeImagesSql(target, mapped));
        await Run(UpdateSql(target, mapped));
        await Run("""
            insert into import_errors (tenant_id, import_id, row_no, column_name, value, reason, skipped)
            select app_current_tenant(), @import, row_no, skip_column, skip_value, skip_reason, true from import_work where skip_reason is not null
            union all
            select app_current_tenant(), @import, row_no, fail_column, fail_value, fail_reason, false from import_work where fail_reason is not null and skip_reason is null
            """);

        MergeCounts counts;
        await using (var command = new NpgsqlCommand("""
            select count(*) filter (where skip_reason is null and fail_reason is null and match_id is null)::int,
                   count(*) filter (where skip_reason is null and fail_reason is null and match_id is not null)::int,
                   count(*) filter (where skip_reason is not null)::int,
                   count(*) filter (where skip_reason is null and fail_reason is not null)::int
            from import_work
            """, connection, (NpgsqlTransaction)transaction.GetDbTransaction()))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            counts = new MergeCounts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
        }
        await Run("delete from import_files where import_id = @import");

        import.Created = counts.Created;
        import.Updated = counts.Updated;
        import.Skipped = counts.Skipped;
        import.Failed += counts.Failed;
        import.Status = ImportStatuses.Completed;
        import.Phase = null;
        import.FinishedAt = clock.GetUtcNow();
        audit.Add(AuditActions.ImportCompleted, import.TenantId, "import", import.Id.ToString(), new
        {
            import.Entity, import.Mode, import.FileName, import.Total, import.Created, import.Updated, import.Skipped, import.Failed,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static string InsertSql(ImportTarget target)
    {
        var columns = string.Join(", ", target.Fields.Select(f => f.Column));
        var values = string.Join(", ", target.Fields.Select((f, i) => f.InsertSql.Replace("{v}", $"w.fields[{i + 1}]")));
        return $"""
            with inserted as (
              insert into {target.Table} (tenant_id, id, {columns}, custom, created_at, updated_at, version)
              select app_current_tenant(), w.id, {values}, w.custom, @now, @now, 1
              from import_work w where w.match_id is null and w.skip_reason is null and w.fail_reason is null
              order by w.row_no
              returning id)
            insert into import_changes (tenant_id, import_id, record_id, created, after_version)
            select app_current_tenant(), @import, id, true, 1 from inserted
            """;
    }

    private static string BeforeImagesSql(ImportTarget target, IReadOnlyList<ImportField> mapped)
    {
        var before = string.Join(", ", mapped.Select(f => $"'{f.Column}', t.{f.Column}").Append("'custom', t.custom"));
        return $"""
            insert into import_changes (tenant_id, import_id, record_id, created, before, after_version)
            select app_current_tenant(), @import, t.id, false, jsonb_build_object({before}), t.version + 1
            from {target.Table} t join import_work w on w.match_id = t.id
            where w.skip_reason is null and w.fail_reason is null
            """;
    }

    private static string UpdateSql(ImportTarget target, IReadOnlyList<ImportField> mapped)
    {
        var sets = mapped.Select(f => $"{f.Column} = {f.UpdateSql.Replace("{v}", $"w.fields[{target.IndexOf(f.Name) + 1}]").Replace("{c}", $"t.{f.Column}")}")
            .Append("custom = t.custom || w.custom").Append("updated_at = @now").Append("version = t.version + 1");
        return $"""
            update {target.Table} t set {string.Join(", ", sets)}
            from import_work w where w.match_id = t.id and w.skip_reason is null and w.fail_reason is null
            """;
    }

    private sealed record MergeCounts(int Created, int Updated, int Skipped, int Failed);
}
