namespace Switchboard.Platform.Csv;

/// <summary>One record of a CSV file: its row number as a spreadsheet shows it (the header is row 1), and an
/// error when the record is malformed (its fields are then incomplete and must not be imported).</summary>
public sealed record CsvRow(int Row, IReadOnlyList<string> Fields, string? Error);

/// <summary>
/// A streaming RFC 4180 reader: any delimiter, quoted fields with doubled quotes and embedded line breaks, CRLF,
/// LF or CR line ends. It holds one record at a time and never more than <c>maxRecordChars</c> of it, so a
/// 200 MB file or a 10 MB line costs bounded memory. It is lenient where spreadsheets are (a stray quote inside
/// an unquoted field is kept as text) and reports, per record, what it cannot read: text after a closing quote,
/// a record over the size limit, a quoted field never closed. Blank lines are skipped but numbered, as a spreadsheet
/// shows them as empty rows; a record with line breaks inside quotes is one row.
/// </summary>
public sealed class CsvParser(TextReader reader, char delimiter, int maxRecordChars = CsvParser.DefaultMaxRecordChars)
{
    public const int DefaultMaxRecordChars = 1024 * 1024;

    private readonly char[] _buffer = new char[64 * 1024];
    private int _position;
    private int _length;
    private int _row;
    private long _line = 1;

    public CsvRow? Read()
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var recordChars = 0;
        string? error = null;
        var startLine = _line;
        var anyContent = false;

        while (true)
        {
            var c = Next();
            if (c < 0)
            {
                if (!anyContent && fields.Count == 0 && field.Length == 0) return null;
                fields.Add(field.ToString());
                return Emit(fields, error);
            }
            var ch = (char)c;
            if (ch is '\r' or '\n')
            {
                ConsumeLineEnd(ch);
                if (!anyContent && fields.Count == 0 && field.Length == 0)
                {
                    // A spreadsheet shows a blank line as an empty row, so it keeps its number though it is not returned.
                    _row++;
                    startLine = _line;
                    continue;
                }
                fields.Add(field.ToString());
                return Emit(fields, error);
            }
            anyContent = true;
            if (ch == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
                continue;
            }
            if (ch == '"' && field.Length == 0)
            {
                if (!ReadQuoted(field, ref recordChars, ref error, startLine)) 
                {
                    fields.Add(field.ToString());
                    return Emit(fields, error);
                }
                continue;
            }
            Append(field, ch, ref recordChars, ref error);
        }
    }

    /// <summary>Reads a quoted field after its opening quote, up to the delimiter or line end that follows it.
    /// Returns false at the end of the file.</summary>
    private bool ReadQuoted(StringBuilder field, ref int recordChars, ref string? error, long startLine)
    {
        while (true)
        {
            var c = Next();
            if (c < 0)
            {
                error ??= $"A quoted field that starts on line {startLine} is never closed.";
                return false;
            }
            var ch = (char)c;
            if (ch == '\n' || (ch == '\r' && Peek() != '\n')) _line++;
            if (ch != '"')
            {
                Append(field, ch, ref recordChars, ref error);
                continue;
            }
            var next = Peek();
            if (next == '"')
            {
                Next();
                Append(field, '"', ref recordChars, ref error);
                continue;
            }
            if (next < 0 || next == delimiter || next is '\r' or '\n') return true;
            // Text after a closing quote ("abc"def): keep reading the field as plain text, but the record is malformed.
            error ??= $"Unexpected text after a closing quote on line {_line}.";
            while (Peek() is var p && p >= 0 && p != delimiter && p is not '\r' and not '\n')
                Append(field, (char)Next(), ref recordChars, ref error);
            return true;
        }
    }

    private void Append(StringBuilder field, char ch, ref int recordChars, ref string? error)
    {
        if (++recordChars > maxRecordChars)
        {
            error ??= $"The row is longer than {maxRecordChars:N0} characters.";
            return;
        }
        field.Append(ch);
    }

    private CsvRow Emit(List<string> fields, string? error) => new(++_row, fields, error);

    private void ConsumeLineEnd(char ch)
    {
        if (ch == '\r' && Peek() == '\n') Next();
        _line++;
    }

    private int Next()
    {
        if (_position == _length && !Fill()) return -1;
        return _buffer[_position++];
    }

    private int Peek() => _position == _length && !Fill() ? -1 : _buffer[_position];

    private bool Fill()
    {
        _length = reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
