namespace Switchboard.Features.Imports;

/// <summary>GET /api/v1/imports/{id}: where the import is and what it did.</summary>
public sealed record ImportDto(
    Guid Id, string Entity, string Status, string? Phase, string Mode, IReadOnlyList<string> MatchOn, string FileName, long FileSize,
    string Encoding, string Delimiter, IReadOnlyList<string> Header, IReadOnlyDictionary<string, string?> Mapping,
    IReadOnlyDictionary<string, SortedDictionary<string, string?>> ValueMapping, int Total, int Processed, int Created, int Updated, int Skipped, int Failed, string? Error,
    Guid CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset? UndoneAt, ImportUndoResult? Undo);

/// <summary>What an undo did: records deleted and restored, and those left alone because they changed after the import.</summary>
public sealed record ImportUndoResult(int Deleted, int Restored, int KeptChanged);

/// <summary>The options of POST /api/v1/imports (multipart fields next to <c>file</c>) and PATCH of a draft.</summary>
/// <param name="Mapping">JSON text: {"CSV header": "field" or null}.</param>
/// <param name="ValueMapping">JSON text: {"field": {"value in the file": "stored value" or null to leave it empty}}; entries are
/// added to the suggested ones.</param>
public sealed record ImportOptions(
    string? Entity, string? Mode, string? MatchOn, string? Mapping, string? Encoding, string? Delimiter, bool? Start, string? ValueMapping = null);

/// <summary>The first rows as they would be imported, with the cells that will fail.</summary>
/// <param name="Values">The values of mapped choice columns that are not options, with what they map to.</param>
public sealed record ImportPreviewDto(IReadOnlyList<string> Header, IReadOnlyDictionary<string, string?> Mapping,
    IReadOnlyList<ImportPreviewRow> Rows, IReadOnlyList<ImportFieldChoice> Fields, IReadOnlyList<ImportValueChoice> Values);

/// <summary>
/// A distinct value of a choice column that is not one of the field's options: the rows holding it, and whether the
/// value mapping maps it (<see cref="MappedTo"/> null = left empty) or its rows will fail.
/// </summary>
public sealed record ImportValueChoice(string Field, string Label, string Column, string Value, int Rows, bool Mapped, string? MappedTo,
    IReadOnlyList<string> Options);

public sealed record ImportPreviewRow(int Row, IReadOnlyList<string> Cells, IReadOnlyList<ImportCellError> Errors);

/// <summary>A field a column can be mapped to, for the wizard's mapping step.</summary>
public sealed record ImportFieldChoice(string Name, string Label, bool RequiredOnCreate, bool IsCustom);
