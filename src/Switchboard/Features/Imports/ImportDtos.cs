namespace Switchboard.Features.Imports;

/// <summary>GET /api/v1/imports/{id}: where the import is and what it did.</summary>
public sealed record ImportDto(
    Guid Id, string Entity, string Status, string? Phase, string Mode, IReadOnlyList<string> MatchOn, string FileName, long FileSize,
    string Encoding, string Delimiter, IReadOnlyList<string> Header, IReadOnlyDictionary<string, string?> Mapping,
    int Total, int Processed, int Created, int Updated, int Skipped, int Failed, string? Error,
    Guid CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset? UndoneAt, ImportUndoResult? Undo);

/// <summary>What an undo did: records deleted and restored, and those left alone because they changed after the import.</summary>
public sealed record ImportUndoResult(int Deleted, int Restored, int KeptChanged);

/// <summary>The options of POST /api/v1/imports (multipart fields next to <c>file</c>) and PATCH of a draft.</summary>
public sealed record ImportOptions(
    string? Entity, string? Mode, string? MatchOn, string? Mapping, string? Encoding, string? Delimiter, bool? Start);

/// <summary>The first rows as they would be imported, with the cells that will fail.</summary>
public sealed record ImportPreviewDto(IReadOnlyList<string> Header, IReadOnlyDictionary<string, string?> Mapping,
    IReadOnlyList<ImportPreviewRow> Rows, IReadOnlyList<ImportFieldChoice> Fields);

public sealed record ImportPreviewRow(int Row, IReadOnlyList<string> Cells, IReadOnlyList<ImportCellError> Errors);

/// <summary>A field a column can be mapped to, for the wizard's mapping step.</summary>
public sealed record ImportFieldChoice(string Name, string Label, bool RequiredOnCreate, bool IsCustom);
