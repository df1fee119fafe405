namespace Switchboard.Platform.Csv;

/// <summary>
/// Writes RFC 4180 CSV to a stream as it goes (UTF-8, CRLF, quotes where needed). Cells that a spreadsheet would
/// run as a formula (<see cref="RunsAsFormula"/>) get a leading apostrophe, so a file made from user data cannot
/// execute anything when opened; phone numbers and plain numbers are written as they are.
/// </summary>
public sealed partial class CsvWriter(Stream output) : IAsyncDisposable
{
    private readonly StreamWriter _writer = new(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };

    public async Task WriteRowAsync(IEnumerable<string?> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first) await _writer.WriteAsync(',');
            first = false;
            await _writer.WriteAsync(Escape(cell));
        }
        await _writer.WriteLineAsync();
    }

    public Task FlushAsync() => _writer.FlushAsync();

    /// <param name="guardFormula">false only for values the application formatted itself (numbers, dates).</param>
    public static string Escape(string? cell, bool guardFormula = true)
    {
        if (string.IsNullOrEmpty(cell)) return "";
        if (guardFormula && RunsAsFormula(cell)) cell = "'" + cell;
        return cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }

    /// <summary>
    /// Whether a spreadsheet would evaluate the cell: it starts with = or @ (or a tab or carriage return, which some
    /// programs skip), or with + or - and is not simply a number. A phone number in E.164 (+14155550100) or a signed
    /// number (-5, +3.5) is data and is written as it is, so the file imports elsewhere unchanged; "-2+3" or
    /// "+cmd|..." is neutralised (OWASP, CSV injection).
    /// </summary>
    public static bool RunsAsFormula(string cell) => cell[0] switch
    {
        '=' or '@' or '\t' or '\r' => true,
        '+' or '-' => !PlainNumber().IsMatch(cell),
        _ => false,
    };

    /// <summary>
    /// A cell as it was before <see cref="Escape"/> guarded it: an apostrophe in front of something that would run as a
    /// formula is the guard (ours, or a spreadsheet's "this is text" mark), not data, so an export imports back as it was.
    /// </summary>
    public static string Unguard(string cell) => cell.Length > 1 && cell[0] == '\'' && RunsAsFormula(cell[1..]) ? cell[1..] : cell;

    [System.Text.RegularExpressions.GeneratedRegex(@"^[+-][0-9]+(\.[0-9]+)?$")]
    private static partial System.Text.RegularExpressions.Regex PlainNumber();

    public async ValueTask DisposeAsync()
    {
        await _writer.FlushAsync();
        await _writer.DisposeAsync();
    }
}
