namespace Switchboard.Platform.Csv;

/// <summary>
/// Writes RFC 4180 CSV to a stream as it goes (UTF-8, CRLF, quotes where needed). Cells that a spreadsheet would
/// run as a formula (starting with =, +, -, @, tab or carriage return) get a leading apostrophe, so a file made
/// from user data cannot execute anything when opened.
/// </summary>
public sealed class CsvWriter(Stream output) : IAsyncDisposable
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

    /// <param name="guardFormula">false only for values the application formatted itself (numbers, dates): "-5" stays a number.</param>
    public static string Escape(string? cell, bool guardFormula = true)
    {
        if (string.IsNullOrEmpty(cell)) return "";
        if (guardFormula && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r') cell = "'" + cell;
        return cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.FlushAsync();
        await _writer.DisposeAsync();
    }
}
