using Npgsql;
using Switchboard.Features.CustomFields;
using Switchboard.Platform.Csv;

namespace Switchboard.Features.Imports;

/// <summary>
/// The import use cases up to the background run: upload (store the file, detect its format, count its rows,
/// suggest a mapping), change a draft's options, start it, read it. Only administrators and managers import.
/// </summary>
// Wide by nature: an import touches the schema (targets, custom fields), the database (EF and raw COPY connections),
// the clock, and its own pipeline (jobs or merge, audit). Splitting it further would scatter one use case.
// Wide on purpose: database, tenant, clock and audit are ambient; the rest are the upload's steps (validate, stage rows
// through COPY, queue the run, per-entity targets).
[Scoped]
public sealed class ImportService(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, CustomFieldValidator customFields,
    JobQueue jobs, AuditLog audit, DatabaseConnections connections, ImportTargets targets)
{
    public const string JobKind = "import.run";

    public static bool CanImport(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Manager or TenantRole.Superadmin;

    internal const string ForbiddenMessage = "Only administrators and managers can import records.";

    public async Task<Outcome<ImportDto>> CreateAsync(ImportOptions options, IFormFile? file, CancellationToken ct)
    {
        if (!CanImport(ctx)) return new Outcome<ImportDto>.Forbidden(ForbiddenMessage);
        var errors = new ValidationErrors();
        var target = targets.FromApiName(options.Entity);
        if (target is null) errors.Add("entity", "Choose what to import: leads, contacts or accounts.");
        var mode = ReadMode(options.Mode, errors);
        var encoding = ReadEncoding(options.Encoding, errors);
        var delimiter = ReadDelimiter(options.Delimiter, errors);
        var mapping = ImportMapping.Parse(options.Mapping, errors);
        var values = ImportValueMap.Parse(options.ValueMapping, errors);
        if (file is null) errors.Add("file", "Attach the CSV file as the multipart field 'file'.");
        else if (file.Length == 0) errors.Add("file", "The file is empty.");
        else if (file.Length > ImportFiles.MaxBytes) errors.Add("file", $"The file is larger than {ImportFiles.MaxBytes / 1024 / 1024} MB.");
        if (!errors.IsValid) return Invalid(errors);

        var import = new Import
        {
            Id = Guid.CreateVersion7(),
            TenantId = ctx.RequiredTenantId,
            Entity = target!.Entity,
            Mode = mode,
            FileName = Path.GetFileName(file!.FileName) is { Length: > 0 } name ? name[..Math.Min(name.Length, 255)] : "import.csv",
            Encoding = CsvFormat.Utf8,
            Delimiter = "comma",
            Status = ImportStatuses.Uploaded,
            CreatedBy = ctx.RequiredUserId,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var unit = await db.BeginUnitOfWorkAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        long size;
        string detected;
        await using (var stream = file.OpenReadStream())
            (size, detected) = await ImportFiles.WriteAsync((NpgsqlConnection)db.Database.GetDbConnection(), import.TenantId, import.Id, stream, ct);
        import.FileSize = size;
        import.Encoding = encoding ?? detected;
        var scan = await ScanAsync(() => file.OpenReadStream(), import.Encoding, delimiter, ct);
        if (!ApplyScan(import, scan, errors)) return Invalid(errors);

        var fields = await customFields.ForEntityAsync(target.Entity, ct);
        import.Mapping = JsonSerializer.SerializeToDocument(mapping ?? ImportMapping.Suggest(target, import.Header, fields));
        import.MatchOn = ReadMatchOn(options.MatchOn, target, errors);
        if (!errors.IsValid || !await ImportValueMemory.RefreshAsync(db, import, target, fields, values, errors, ct)) return Invalid(errors);
        db.Add(import);
        if (options.Start ?? true)
        {
            if (!await QueueAsync(import, fields, errors, ct)) return Invalid(errors);
        }
        else
        {
            // A draft nobody starts would keep its file for ever.
            await jobs.EnqueueAsync(ImportDraftExpiry.JobKind, new ImportJob(import.Id), import.TenantId, $"import-expire:{import.Id}",
                runAt: import.CreatedAt + ImportDraftExpiry.Lifetime, ct: ct);
        }
        await db.SaveChangesAsync(ct);
        await unit.CommitAsync(ct);
        return ToDto(import);
    }

    /// <summary>Changes a draft (status uploaded): mode, match keys, mapping, and encoding or delimiter (the file is re-read).</summary>
    public async Task<Outcome<ImportDto>> UpdateDraftAsync(Guid id, ImportOptions options, CancellationToken ct)
    {
        if (!CanImport(ctx)) return new Outcome<ImportDto>.Forbidden(ForbiddenMessage);
        var import = await db.Set<Import>().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null) return new Outcome<ImportDto>.NotFound();
        if (import.Status != ImportStatuses.Uploaded) return new Outcome<ImportDto>.Conflict($"The import is {import.Status}; only an import that has not started can change.");
        var errors = new ValidationErrors();
        var target = targets.ForEntity(import.Entity);
        if (options.Mode is not null) import.Mode = ReadMode(options.Mode, errors);
        var encoding = ReadEncoding(options.Encoding, errors);
        var delimiter = ReadDelimiter(options.Delimiter, errors);
        var mapping = ImportMapping.Parse(options.Mapping, errors);
        var values = ImportValueMap.Parse(options.ValueMapping, errors);
        if (options.MatchOn is not null) import.MatchOn = ReadMatchOn(options.MatchOn, target, errors);
        if (!errors.IsValid) return Invalid(errors);

        var fields = await customFields.ForEntityAsync(import.Entity, ct);
        if (encoding is not null || delimiter is not null)
        {
            import.Encoding = encoding ?? import.Encoding;
            await using var side = await TenantConnections.OpenAsync(connections, import.TenantId, ctx.UserId, ct);
            var scan = await ScanAsync(() => ImportFiles.OpenRead(side, import.Id), import.Encoding, delimiter, ct);
            if (!ApplyScan(import, scan, errors)) return Invalid(errors);
            if (mapping is null) import.Mapping = JsonSerializer.SerializeToDocument(ImportMapping.Suggest(target, import.Header, fields));
        }
        if (mapping is not null)
        {
            foreach (var column in mapping.Keys.Where(c => !import.Header.Contains(c)))
                errors.Add("mapping", $"The file has no column '{column}'.");
            if (!errors.IsValid) return Invalid(errors);
            import.Mapping = JsonSerializer.SerializeToDocument(mapping);
        }
        if (!await ImportValueMemory.RefreshAsync(db, import, target, fields, values, errors, ct)) return Invalid(errors);
        if (options.Start == true && !await QueueAsync(import, fields, errors, ct)) return Invalid(errors);
        await db.SaveChangesAsync(ct);
        return ToDto(import);
    }

    public async Task<Outcome<ImportDto>> StartAsync(Guid id, CancellationToken ct) =>
        await UpdateDraftAsync(id, new ImportOptions(null, null, null, null, null, null, Start: true), ct);

    public async Task<Outcome<ImportDto>> FindAsync(Guid id, CancellationToken ct)
    {
        if (!CanImport(ctx)) return new Outcome<ImportDto>.Forbidden(ForbiddenMessage);
        var import = await db.Set<Import>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        return import is null ? new Outcome<ImportDto>.NotFound() : ToDto(import);
    }

    public async Task<Outcome<PagedList<ImportDto>>> ListAsync(int? page, int? pageSize, CancellationToken ct)
    {
        if (!CanImport(ctx)) return new Outcome<PagedList<ImportDto>>.Forbidden(ForbiddenMessage);
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(page, pageSize, errors);
        if (!errors.IsValid) return new Outcome<PagedList<ImportDto>>.Invalid(errors.ToDictionary());
        var imports = await paging.ApplyAsync(db, db.Set<Import>().AsNoTracking().OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id), ct);
        return imports.Map(ToDto);
    }

    /// <summary>Checks the mapping and match keys against the file and queues the run (in the caller's unit of work).</summary>
    private async Task<bool> QueueAsync(Import import, CustomFieldSet fields, ValidationErrors errors, CancellationToken ct)
    {
        var target = targets.ForEntity(import.Entity);
        var columns = ImportMapping.Resolve(target, import.Header, ReadMapping(import), fields, errors);
        if (!errors.IsValid) return false;
        var mapped = columns.Where(c => c.Field is not null).Select(c => c.Field!.Name).ToHashSet();
        if (import.MatchOn.Length == 0 && mapped.Contains(target.Key(target.DefaultMatchKey)!.Field)) import.MatchOn = [target.DefaultMatchKey];
        foreach (var key in import.MatchOn)
            if (!mapped.Contains(target.Key(key)!.Field))
                errors.Add("matchOn", $"No column is mapped to {key}, so rows cannot be matched on it.");
        if (import.Mode != ImportModes.Create && import.MatchOn.Length == 0)
            errors.Add("matchOn", $"Mode {import.Mode} needs a match key: {string.Join(", ", target.MatchKeys.Select(k => k.Name))}.");
        if (import.Mode == ImportModes.Create)
            foreach (var field in target.Fields.Where(f => f.RequiredOnCreate && !mapped.Contains(f.Name)))
                errors.Add("mapping", $"Map a column to {field.Label}: every new {target.Entity} needs one.");
        if (!errors.IsValid) return false;

        import.Status = ImportStatuses.Queued;
        await ImportValueMemory.RememberAsync(db, import, ImportValueMap.From(import.ValueMapping), ImportChoiceColumn.Of(columns), clock.GetUtcNow(), ct);
        await jobs.EnqueueAsync(JobKind, new ImportJob(import.Id), import.TenantId, $"import:{import.Id}", maxAttempts: 3, ct: ct);
        audit.Add(AuditActions.ImportStarted, import.TenantId, "import", import.Id.ToString(),
            new { import.Entity, import.Mode, import.MatchOn, import.FileName, import.Total });
        return true;
    }

    /// <summary>The stored mapping; a column without an entry is not imported.</summary>
    public static Dictionary<string, string?> ReadMapping(Import import) =>
        import.Mapping.Deserialize<Dictionary<string, string?>>() ?? [];

    public sealed record Scan(string[]? Header, char Delimiter, int Rows, string? Error, JsonDocument? ColumnValues = null);

    /// <summary>Reads the file once: delimiter (given or sniffed from the first line), header, the number of data rows and
    /// each column's distinct values (<see cref="ImportColumnValues"/>).</summary>
    public static async Task<Scan> ScanAsync(Func<Stream> open, string encoding, char? delimiter, CancellationToken ct)
    {
        if (delimiter is null)
        {
            using var firstLine = CsvFormat.OpenReader(open(), encoding);
            delimiter = CsvFormat.SniffDelimiter(await firstLine.ReadLineAsync(ct) ?? "");
        }
        return await Task.Run(() =>
        {
            using var reader = CsvFormat.OpenReader(open(), encoding);
            var parser = new CsvParser(reader, delimiter.Value);
            var header = parser.Read();
            if (header is null) return new Scan(null, delimiter.Value, 0, "The file has no header row: it is empty.");
            if (header.Error is not null) return new Scan(null, delimiter.Value, 0, $"The header row cannot be read: {header.Error}");
            var rows = 0;
            var values = new ImportColumnValues(header.Fields.Count);
            while (parser.Read() is { } row)
            {
                ct.ThrowIfCancellationRequested();
                values.Add(row);
                rows++;
            }
            var unique = ImportMapping.UniqueHeader(header.Fields);
            return new Scan(unique, delimiter.Value, rows, null, values.ToDocument(unique));
        }, ct);
    }

    private static bool ApplyScan(Import import, Scan scan, ValidationErrors errors)
    {
        if (scan.Error is not null)
        {
            errors.Add("file", scan.Error);
            return false;
        }
        import.Header = scan.Header!;
        import.Delimiter = CsvFormat.DelimiterName(scan.Delimiter);
        import.Total = scan.Rows;
        import.ColumnValues = scan.ColumnValues;
        return true;
    }

    private static string ReadMode(string? mode, ValidationErrors errors)
    {
        var value = string.IsNullOrWhiteSpace(mode) ? ImportModes.Create : mode.Trim().ToLowerInvariant();
        if (!ImportModes.All.Contains(value)) errors.Add("mode", $"'{mode}' is not a mode. Use one of: {string.Join(", ", ImportModes.All)}.");
        return value;
    }

    private static string? ReadEncoding(string? encoding, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(encoding) || encoding.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        var value = encoding.Trim().ToLowerInvariant() switch { "utf8" => CsvFormat.Utf8, "cp1252" or "latin1" => CsvFormat.Windows1252, var v => v };
        if (CsvFormat.Encodings.Contains(value)) return value;
        errors.Add("encoding", $"'{encoding}' is not supported. Use auto, {string.Join(" or ", CsvFormat.Encodings)}.");
        return null;
    }

    private static char? ReadDelimiter(string? delimiter, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(delimiter) || delimiter.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        if (CsvFormat.Delimiters.TryGetValue(delimiter, out var value)) return value;
        errors.Add("delimiter", $"'{delimiter}' is not supported. Use auto, comma, semicolon or tab.");
        return null;
    }

    private static string[] ReadMatchOn(string? matchOn, ImportTarget target, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(matchOn)) return [];
        var keys = matchOn.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var key in keys.Where(k => target.Key(k) is null))
            errors.Add("matchOn", $"'{key}' is not a match key for {target.Table}. Use one or more of: {string.Join(", ", target.MatchKeys.Select(k => k.Name))}.");
        return keys.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static Outcome<ImportDto> Invalid(ValidationErrors errors) => new Outcome<ImportDto>.Invalid(errors.ToDictionary());

    public static ImportDto ToDto(Import i) => new(
        i.Id, i.Entity, i.Status, i.Phase, i.Mode, i.MatchOn, i.FileName, i.FileSize, i.Encoding, i.Delimiter, i.Header, ReadMapping(i),
        ImportValueMap.From(i.ValueMapping).Entries, i.Total, i.Processed, i.Created, i.Updated, i.Skipped, i.Failed, i.Error, i.CreatedBy, i.CreatedAt, i.StartedAt, i.FinishedAt, i.UndoneAt,
        i.UndoResult?.Deserialize<ImportUndoResult>(JsonSerializerOptions.Web));
}

/// <summary>The payload of an import.run job.</summary>
public sealed record ImportJob(Guid ImportId);
