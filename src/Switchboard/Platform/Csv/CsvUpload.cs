namespace Switchboard.Platform.Csv;

/// <summary>One record of an uploaded CSV: its spreadsheet row (the header is row 1) and its fields.</summary>
public sealed record CsvRecord(int Row, string[] Fields);

/// <summary>
/// Turns a small uploaded CSV (users, do-not-call numbers; read whole, unlike record imports) into records the way
/// spreadsheet exports arrive here: UTF-8 with or without a BOM (UTF-16
/// with a BOM too), otherwise Windows-1252 (Excel's "CSV" on Western Windows); comma, semicolon or tab delimited,
/// sniffed from the header line; quoted fields may hold delimiters, quotes ("") and line breaks.
/// </summary>
public static class CsvUpload
{
    /// <summary>The text of the file: UTF-16 by its byte-order mark, else UTF-8 or Windows-1252 as <see cref="EncodingDetector"/> decides.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Encoding.Unicode.GetString(bytes[2..]);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        var detector = new EncodingDetector();
        detector.Feed(bytes);
        var encoding = detector.Finish();
        if (encoding == CsvFormat.Utf8 && bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        return CsvFormat.GetEncoding(encoding).GetString(bytes);
    }

    /// <summary>
    /// The records of the text, read by the same parser as record imports (<see cref="CsvParser"/>), fields trimmed.
    /// Blank lines are not returned but keep their row number (a spreadsheet shows them); a row of empty fields is not returned either. A record the parser
    /// cannot read (an unclosed quote, text after a closing quote) comes back with <paramref name="malformed"/> set
    /// to the reason, so the caller can report the row and go on.
    /// </summary>
    public static IEnumerable<(CsvRecord Record, string? Malformed)> Read(string text)
    {
        var parser = new CsvParser(new StringReader(text), CsvFormat.SniffDelimiter(text));
        while (parser.Read() is { } row)
        {
            if (row.Error is not null) yield return (new CsvRecord(row.Row, []), row.Error);
            else if (!row.Fields.All(string.IsNullOrWhiteSpace)) yield return (new CsvRecord(row.Row, row.Fields.Select(f => f.Trim()).ToArray()), null);
        }
    }
}
