using Npgsql;
using NpgsqlTypes;
using Switchboard.Features.CustomFields;
using Switchboard.Platform.Csv;

namespace Switchboard.Features.Imports;

/// <summary>
/// Runs an import in the background (job <c>import.run</c>), in two phases (ADR 0010):
/// <list type="number">
/// <item>validating: streams the stored file through the parser and <see cref="ImportRowNormalizer"/>, binary-COPYs
/// valid rows into the session's temporary <c>import_work</c> table and reports bad ones in <c>import_errors</c>.</item>
/// <item>merging: <see cref="ImportMerge"/> writes the records in one transaction, so a stop leaves nothing half-applied.</item>
/// </list>
/// If the app stops, the job is handed back (or its lease runs out) and the next run resumes the import from the
/// start of its stored file: nothing had been applied, so nothing is applied twice. A run that fails on its last
/// attempt marks the import failed.
/// </summary>
// Wide by nature: an import touches the schema (targets, custom fields), the database (EF and raw COPY connections),
// the clock, and its own pipeline (jobs or merge, audit). Splitting it further would scatter one use case.
// Wide on purpose: database, tenant, clock and logger are ambient; the rest are the import's steps (validate custom
// values, copy rows in, merge, per-entity targets).
public sealed class ImportRunner(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, CustomFieldValidator customFields,
    DatabaseConnections connections, ImportMerge merge, ImportTargets targets, Platform.Observability.SwitchboardInstruments instruments,
    ILogger<ImportRunner> logger) : IJobHandler
{
    public const string Validating = "validating";
    public const string Merging = "merging";
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(500);

    public string Kind => ImportService.JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var id = job.Read<ImportJob>().ImportId;
        var import = await db.Set<Import>().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null || import.Status is not (ImportStatuses.Queued or ImportStatuses.Running)) return;
        try
        {
            import.Status = ImportStatuses.Running;
            import.Phase = Validating;
            import.StartedAt ??= clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            // The work table lives on the connection's session, so the import works on one that keeps it (ADR 0062).
            var runtime = db.Database.GetConnectionString();
            var moves = runtime != connections.Session;
            if (moves)
            {
                await db.Database.GetDbConnection().CloseAsync();
                db.Database.SetConnectionString(connections.Session);
            }
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await ValidateAsync(import, ct);
                import.Phase = Merging;
                await db.SaveChangesAsync(ct);
                await merge.RunAsync(import, ct);
                instruments.ImportRowsRead(import.Processed - import.Failed, import.Failed);
            }
            finally
            {
                await DropWorkTableAsync();
                if (moves)
                {
                    await db.Database.CloseConnectionAsync();
                    db.Database.SetConnectionString(runtime);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException && job.Attempts >= job.MaxAttempts)
        {
            logger.LogError(e, "Import {ImportId} failed on its last attempt", id);
            db.ChangeTracker.Clear();
            await db.Set<Import>().Where(i => i.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, ImportStatuses.Failed)
                .SetProperty(i => i.Error, "The import stopped with an unexpected error; nothing was imported. Try again, or contact support if it fails again.")
                .SetProperty(i => i.FinishedAt, clock.GetUtcNow()), CancellationToken.None);
        }
    }

    /// <summary>Frees the session's temporary table before the connection goes back to the pool (best effort: a broken connection is discarded anyway).</summary>
    private async Task DropWorkTableAsync()
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync("drop table if exists import_work", CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            logger.LogDebug(e, "Could not drop import_work; the connection is gone");
        }
    }

    private async Task ValidateAsync(Import import, CancellationToken ct)
    {
        var target = targets.ForEntity(import.Entity);
        var fields = await customFields.ForEntityAsync(import.Entity, ct);
        var errors = new Platform.Web.ValidationErrors();
        var columns = ImportMapping.Resolve(target, import.Header, ImportService.ReadMapping(import), fields, errors);
        if (!errors.IsValid) throw new InvalidOperationException($"Import {import.Id} was queued with an invalid mapping.");
        var normalizer = await ImportRowNormalizer.CreateAsync(db, import, target, columns, ctx.Tenant?.DefaultCountry ?? "US", ct);

        var main = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var clear = db.Connection.Batch(main, new NpgsqlBatchCommand("delete from import_errors where import_id = $1") { Parameters = { new() { Value = import.Id } } }))
            await clear.ExecuteNonQueryAsync(ct);
        await Execute(main, ImportMerge.CreateWorkTableSql, ct);

        // The file is read, and errors and progress written, on a second connection while the first one COPYs.
        await using var side = await TenantConnections.OpenAsync(connections, import.TenantId, null, ct);
        await using var file = ImportFiles.OpenRead(side, import.Id);
        using var reader = CsvFormat.OpenReader(file, import.Encoding);
        var parser = new CsvParser(reader, CsvFormat.Delimiters[import.Delimiter]);
        parser.Read(); // the header

        var failed = 0;
        var processed = 0;
        var lastProgress = clock.GetTimestamp();
        var cellErrors = new List<ImportCellError>();
        await using (var copy = await main.BeginBinaryImportAsync(
            "copy import_work (row_no, id, fields, custom) from stdin (format binary)", ct))
        {
            while (parser.Read() is { } row)
            {
                var before = cellErrors.Count;
                if (normalizer.Normalize(row, cellErrors) is { } valid)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(valid.Row, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(valid.Fields, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(valid.Custom.Count == 0 ? "{}" : valid.Custom.ToJsonString(), NpgsqlDbType.Jsonb, ct);
                }
                else if (cellErrors.Count > before) failed++;
                if (++processed % 1000 == 0 && clock.GetElapsedTime(lastProgress) >= ProgressEvery)
                {
                    lastProgress = clock.GetTimestamp();
                    await WriteErrorsAsync(side, import, cellErrors, ct);
                    await Execute(side, "update imports set processed = $2 where id = $1", ct, import.Id, processed);
                }
            }
            await copy.CompleteAsync(ct);
        }
        await WriteErrorsAsync(side, import, cellErrors, ct);
        import.Processed = processed;
        import.Total = processed;
        import.Failed = failed;
        // Progress went to the row on the side connection, behind EF's back: on a retry the entity still holds the killed
        // attempt's final count, equal to this one, and EF would write nothing over the last progress update.
        db.Entry(import).Property(i => i.Processed).IsModified = true;
    }

    private static async Task WriteErrorsAsync(NpgsqlConnection connection, Import import, List<ImportCellError> errors, CancellationToken ct)
    {
        if (errors.Count == 0) return;
        await using var command = new NpgsqlCommand("""
            insert into import_errors (tenant_id, import_id, row_no, column_name, value, reason)
            select $1, $2, r, c, v, reason from unnest($3::integer[], $4::text[], $5::text[], $6::text[]) as e (r, c, v, reason)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = import.TenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = import.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = errors.Select(e => e.Row).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = errors.Select(e => e.Column).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = errors.Select(e => e.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = errors.Select(e => e.Reason).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(ct);
        errors.Clear();
    }

    internal static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync(ct);
    }
}
