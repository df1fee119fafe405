using System.Text;
using Microsoft.VisualBasic.FileIO;
using Switchboard.Platform.Csv;

namespace Switchboard.Features.Users;

/// <summary>One record of an uploaded CSV: its spreadsheet row (the header is row 1) and its fields.</summary>
public sealed record CsvRecord(int Row, string[] Fields);

/// <summary>
/// Turns an uploaded CSV into records the way spreadsheet exports arrive here: UTF-8 with or without a BOM (UTF-16
/// with a BOM too), otherwise Windows-1252 (Excel's "CSV" on Western Windows); comma, semicolon or tab delimited,
/// sniffed from the header line; quoted fields may hold delimiters, quotes ("") and line breaks.
/// </summary>
public static class CsvUpload
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return Encoding.UTF8.GetString(bytes[3..]);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Encoding.Unicode.GetString(bytes[2..]);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Not valid UTF-8: every byte sequence is valid Windows-1252, the usual legacy export.
            return CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetString(bytes);
        }
    }

    /// <summary>
    /// The records of the text. Empty lines are not rows; a row of empty fields counts as a row but is not returned.
    /// A malformed record (an unclosed quote) comes back with
    /// <paramref name="malformed"/> set so the caller can report the row and go on.
    /// </summary>
    public static IEnumerable<(CsvRecord Record, string? Malformed)> Read(string text)
    {
        using var parser = new TextFieldParser(new StringReader(text))
        {
            TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = true,
        };
        parser.SetDelimiters(CsvFormat.SniffDelimiter(text).ToString());
        var row = 0;
        while (!parser.EndOfData)
        {
            row++;
            string[]? fields;
            string? malformed = null;
            try
            {
                fields = parser.ReadFields();
            }
            catch (MalformedLineException)
            {
                fields = null;
                malformed = parser.ErrorLine;
            }
            if (malformed is not null) yield return (new CsvRecord(row, []), malformed);
            else if (fields is not null && !fields.All(string.IsNullOrWhiteSpace)) yield return (new CsvRecord(row, fields), null);
        }
    }
}
