namespace Switchboard.Features.Imports;

public static class ImportStatuses
{
    /// <summary>The file is stored and its mapping can still change (the wizard's draft).</summary>
    public const string Uploaded = "uploaded";
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Undone = "undone";
}

public static class ImportModes
{
    public const string Create = "create";
    public const string Upsert = "upsert";
    public const string Update = "update";
    public static readonly IReadOnlyList<string> All = [Create, Upsert, Update];
}

/// <summary>One CSV import: its file's format, the column mapping, where the run is, and what it did.</summary>
public sealed class Import : TenantRow
{
    public required string Entity { get; set; }
    public required string Mode { get; set; }
    public string[] MatchOn { get; set; } = [];
    /// <summary>CSV header → field name (<c>custom.&lt;key&gt;</c> for custom fields); null means "don't import".</summary>
    public JsonDocument Mapping { get; set; } = JsonDocument.Parse("{}");
    /// <summary>Field → {file value → stored value, or null for "leave empty"}: how choice values the field does not know are read.</summary>
    public JsonDocument ValueMapping { get; set; } = JsonDocument.Parse("{}");
    /// <summary>CSV header → {distinct cell value → rows}, counted at upload; null for a column with too many values to list.</summary>
    public JsonDocument? ColumnValues { get; set; }
    public required string FileName { get; set; }
    public long FileSize { get; set; }
    public required string Encoding { get; set; }
    public required string Delimiter { get; set; }
    public string[] Header { get; set; } = [];
    public required string Status { get; set; }
    /// <summary>While running: "validating" (reading the file) or "merging" (writing records).</summary>
    public string? Phase { get; set; }
    public int Total { get; set; }
    public int Processed { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Skipped { get; set; }
    public int Failed { get; set; }
    public string? Error { get; set; }
    public JsonDocument? UndoResult { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? UndoneAt { get; set; }
}

internal sealed class ImportConfiguration() : TenantTableConfiguration<Import>("imports");
