using System.Runtime.InteropServices;
using Switchboard.Platform.Csv;

namespace Switchboard.Features.Imports;

/// <summary>
/// Counts each column's distinct cell values while the upload is scanned, so the draft can list the values a choice
/// field does not know (with their row counts) for any mapping without reading the file again. A column with more
/// than <see cref="MaxDistinct"/> values (names, emails) is dropped as soon as it passes the limit: it is not a choice,
/// and memory stays bounded by columns × limit.
/// </summary>
public sealed class ImportColumnValues(int columns)
{
    public const int MaxDistinct = 500;

    private readonly Dictionary<string, int>?[] _counts = Enumerable.Range(0, columns).Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();

    public void Add(CsvRow row)
    {
        if (row.Error is not null) return;
        for (var i = 0; i < _counts.Length && i < row.Fields.Count; i++)
        {
            if (_counts[i] is not { } counts) continue;
            var cell = row.Fields[i].Trim();
            // jsonb cannot hold NUL; such a cell fails its row anyway.
            if (cell.Length == 0 || cell.Length > ImportValueMap.MaxValueLength || cell.Contains('\0')) continue;
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, cell, out var existed);
            count++;
            if (!existed && counts.Count > MaxDistinct) _counts[i] = null;
        }
    }

    /// <summary>Header → {value → rows}, or null for a column with too many values.</summary>
    public JsonDocument ToDocument(IReadOnlyList<string> header)
    {
        var columns = new Dictionary<string, Dictionary<string, int>?>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count && i < _counts.Length; i++) columns[header[i]] = _counts[i];
        return JsonSerializer.SerializeToDocument(columns);
    }

    /// <summary>The counts of one column as stored on the import; null when it had too many values or was never counted.</summary>
    public static IReadOnlyDictionary<string, int>? For(Import import, string column) =>
        import.ColumnValues is { } document && document.RootElement.TryGetProperty(column, out var counts) && counts.ValueKind == JsonValueKind.Object
            ? counts.Deserialize<Dictionary<string, int>>()
            : null;
}
