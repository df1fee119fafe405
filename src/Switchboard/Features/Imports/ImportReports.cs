using Npgsql;
using Switchboard.Features.CustomFields;
using Switchboard.Platform.Csv;

namespace Switchboard.Features.Imports;

/// <summary>What the wizard and the API read about an import besides its status: the preview and the error report.</summary>
[Scoped]
public sealed class ImportReports(SwitchboardDbContext db, TenantContext ctx, CustomFieldValidator customFields, DatabaseConnections connections, ImportTargets targets)
{
    public const int MaxPreviewRows = 50;

    /// <summary>
    /// The first rows of a draft's file as they would be imported with its current mapping, with the cells that will
    /// fail. Only validation that needs no other row is shown here; duplicates and matches are decided by the run.
    /// </summary>
    public async Task<Outcome<ImportPreviewDto>> PreviewAsync(Guid id, int? rows, CancellationToken ct)
    {
        if (!ImportService.CanImport(ctx)) return new Outcome<ImportPreviewDto>.Forbidden(ImportService.ForbiddenMessage);
        var import = await db.Set<Import>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null) return new Outcome<ImportPreviewDto>.NotFound();
        if (import.Status != ImportStatuses.Uploaded)
            return new Outcome<ImportPreviewDto>.Conflict($"The import is {import.Status}; its file is only kept for preview until it starts.");
        var count = Math.Clamp(rows ?? 10, 1, MaxPreviewRows);

        var target = targets.ForEntity(import.Entity);
        var fields = await customFields.ForEntityAsync(import.Entity, ct);
        var mapping = ImportService.ReadMapping(import);
        var columns = ImportMapping.Resolve(target, import.Header, mapping, fields, new ValidationErrors());
        var normalizer = await ImportRowNormalizer.CreateAsync(db, import, target, columns, ctx.Tenant?.DefaultCountry ?? "US", ct);

        await using var side = await TenantConnections.OpenAsync(connections, import.TenantId, ctx.UserId, ct);
        var preview = new List<ImportPreviewRow>();
        await using (var file = ImportFiles.OpenRead(side, import.Id))
        using (var reader = CsvFormat.OpenReader(file, import.Encoding))
        {
            var parser = new CsvParser(reader, CsvFormat.Delimiters[import.Delimiter]);
            parser.Read();
            while (preview.Count < count && parser.Read() is { } row)
            {
                var errors = new List<ImportCellError>();
                normalizer.Normalize(row, errors);
                preview.Add(new ImportPreviewRow(row.Row, row.Fields.Select(ImportRowNormalizer.Clip).ToList(), errors));
            }
        }
        var choices = target.Fields.Select(f => new ImportFieldChoice(f.Name, f.Label, f.RequiredOnCreate, false))
            .Concat(fields.Active.Select(f => new ImportFieldChoice(CustomFieldQueries.Prefix + f.Key, f.Label, f.Required, true)))
            .ToList();
        return new ImportPreviewDto(import.Header, mapping, preview, choices, Values(import, columns));
    }

    /// <summary>Each distinct value of a mapped choice column that is not an option, with its rows and its entry in the value
    /// mapping; values that are not mapped (their rows would fail) first.</summary>
    public static IReadOnlyList<ImportValueChoice> Values(Import import, IReadOnlyList<ImportColumn> columns)
    {
        var map = ImportValueMap.From(import.ValueMapping);
        return ImportChoiceColumn.Of(columns).SelectMany(choice => ImportValueSuggestions.Unknown(choice, ImportColumnValues.For(import, choice.Column))
            .Select(unknown => new ImportValueChoice(choice.Field, choice.Label, choice.Column, unknown.Value, unknown.Rows,
                map.TryMap(choice.Field, unknown.Value, out var stored), stored, choice.Options))).OrderBy(v => v.Mapped).ToList();
    }

    /// <summary>Streams the rows that were not imported as CSV <c>row,column,value,reason</c>, in row order.</summary>
    public async Task<Outcome<Func<Stream, CancellationToken, Task>>> ErrorsCsvAsync(Guid id, CancellationToken ct)
    {
        if (!ImportService.CanImport(ctx)) return new Outcome<Func<Stream, CancellationToken, Task>>.Forbidden(ImportService.ForbiddenMessage);
        var import = await db.Set<Import>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null) return new Outcome<Func<Stream, CancellationToken, Task>>.NotFound();
        return new Func<Stream, CancellationToken, Task>(async (body, token) =>
        {
            await using var connection = await TenantConnections.OpenAsync(connections, import.TenantId, ctx.UserId, token);
            await using var command = new NpgsqlCommand(
                "select row_no, column_name, value, reason from import_errors where import_id = $1 order by row_no, column_name nulls first", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = import.Id });
            await using var reader = await command.ExecuteReaderAsync(token);
            await using var csv = new CsvWriter(body);
            await csv.WriteRowAsync(["row", "column", "value", "reason"]);
            var written = 0;
            while (await reader.ReadAsync(token))
            {
                await csv.WriteRowAsync([reader.GetInt32(0).ToString(), reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)]);
                if (++written % 5000 == 0) await csv.FlushAsync();
            }
        });
    }
}
