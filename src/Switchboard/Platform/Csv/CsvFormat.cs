namespace Switchboard.Platform.Csv;

/// <summary>
/// The text encodings and delimiters a CSV file may use, and how to tell them from the file. Spreadsheets save
/// UTF-8 (often with a byte-order mark) or, in Excel on Windows, Windows-1252; the delimiter is a comma, or a
/// semicolon where the comma is the decimal separator, or a tab.
/// </summary>
public static class CsvFormat
{
    public const string Utf8 = "utf-8";
    public const string Windows1252 = "windows-1252";
    public static readonly IReadOnlyList<string> Encodings = [Utf8, Windows1252];

    /// <summary>Names of the delimiters as a form or query sends them.</summary>
    public static readonly IReadOnlyDictionary<string, char> Delimiters = new Dictionary<string, char>(StringComparer.OrdinalIgnoreCase)
    {
        [","] = ',', ["comma"] = ',', [";"] = ';', ["semicolon"] = ';', ["tab"] = '\t', ["\t"] = '\t',
    };

    static CsvFormat() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding GetEncoding(string name) => name == Windows1252 ? Encoding.GetEncoding(1252) : new UTF8Encoding(false);

    public static string DelimiterName(char delimiter) => delimiter switch { ';' => "semicolon", '\t' => "tab", _ => "comma" };

    /// <summary>Opens a reader over the file in the given encoding, skipping a UTF-8 byte-order mark.</summary>
    public static StreamReader OpenReader(Stream file, string encoding) =>
        new(file, GetEncoding(encoding), detectEncodingFromByteOrderMarks: encoding == Utf8, bufferSize: 64 * 1024);

    /// <summary>The delimiter that splits the header line (the text up to its first line break outside quotes) into the
    /// most fields; comma on a tie.</summary>
    public static char SniffDelimiter(string text)
    {
        var counts = new Dictionary<char, int> { [','] = 0, [';'] = 0, ['\t'] = 0 };
        var quoted = false;
        foreach (var ch in text)
        {
            if (ch == '"') quoted = !quoted;
            else if (!quoted && ch is '\r' or '\n') break;
            else if (!quoted && counts.ContainsKey(ch)) counts[ch]++;
        }
        return counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key == ',' ? 0 : 1).First().Key;
    }
}

/// <summary>
/// Decides between UTF-8 and Windows-1252 while a file streams past: the file is UTF-8 if every byte sequence
/// is valid UTF-8 (a byte-order mark settles it at once), and Windows-1252 otherwise. Pure ASCII is UTF-8.
/// </summary>
public sealed class EncodingDetector
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];
    private readonly Decoder _utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
    private bool _first = true;
    private bool _settled;
    private string _encoding = CsvFormat.Utf8;
    private char[] _scratch = new char[8];

    public string Encoding => _encoding;

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        if (_first && bytes.Length > 0)
        {
            _first = false;
            if (bytes.StartsWith(Bom)) _settled = true;
        }
        if (_settled) return;
        try
        {
            // GetChars, not GetCharCount: only GetChars carries a character split across two chunks over to the next one.
            if (_scratch.Length < bytes.Length + 4) _scratch = new char[bytes.Length + 4];
            _utf8.GetChars(bytes, _scratch, flush: false);
        }
        catch (DecoderFallbackException)
        {
            _encoding = CsvFormat.Windows1252;
            _settled = true;
        }
    }

    /// <summary>The encoding, once the whole file has been fed (a multi-byte sequence cut off at the end is not UTF-8).</summary>
    public string Finish()
    {
        if (_settled) return _encoding;
        try
        {
            _utf8.GetChars([], _scratch, flush: true);
        }
        catch (DecoderFallbackException)
        {
            _encoding = CsvFormat.Windows1252;
        }
        _settled = true;
        return _encoding;
    }
}
