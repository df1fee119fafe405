using System.Text;
using Switchboard.Platform.Csv;

namespace Switchboard.Tests.Features.Imports;

public sealed class CsvParserTests
{
    private static List<CsvRow> Parse(string text, char delimiter = ',', int maxRecordChars = CsvParser.DefaultMaxRecordChars)
    {
        var parser = new CsvParser(new StringReader(text), delimiter, maxRecordChars);
        var rows = new List<CsvRow>();
        while (parser.Read() is { } row) rows.Add(row);
        return rows;
    }

    [Fact]
    public void Quoted_fields_keep_delimiters_doubled_quotes_and_line_breaks()
    {
        var rows = Parse("a,b\r\n\"x, y\",\"say \"\"hi\"\"\r\nbye\"\r\n");

        rows.Count.ShouldBe(2);
        rows[1].Fields.ShouldBe(["x, y", "say \"hi\"\r\nbye"]);
        rows[1].Error.ShouldBeNull();
    }

    [Fact]
    public void Rows_are_numbered_like_a_spreadsheet_and_blank_lines_are_skipped_but_keep_their_row_number()
    {
        var rows = Parse("h\n\none\n\r\ntwo\rthree\n\"multi\nline\"\nlast");

        rows.Select(r => (r.Row, r.Fields[0])).ShouldBe([(1, "h"), (3, "one"), (5, "two"), (6, "three"), (7, "multi\nline"), (8, "last")]);
    }

    [Fact]
    public void Semicolons_and_tabs_work_as_delimiters()
    {
        Parse("a;b\n1;\"2;3\"\n", ';')[1].Fields.ShouldBe(["1", "2;3"]);
        Parse("a\tb\n1\t2\n", '\t')[1].Fields.ShouldBe(["1", "2"]);
    }

    [Fact]
    public void Empty_fields_are_kept_in_place()
    {
        Parse("a,b,c\n,,\n")[1].Fields.ShouldBe(["", "", ""]);
    }

    [Fact]
    public void Text_after_a_closing_quote_marks_the_row_malformed_and_reading_goes_on()
    {
        var rows = Parse("a,b\n\"ab\"c,d\nnext,row\n");

        rows[1].Error!.ShouldContain("after a closing quote");
        rows[2].Fields.ShouldBe(["next", "row"]);
        rows[2].Error.ShouldBeNull();
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_is_kept_as_text()
    {
        Parse("a\n5\" screen\n")[1].Fields.ShouldBe(["5\" screen"]);
    }

    [Fact]
    public void A_quoted_field_never_closed_is_reported_with_the_line_it_starts_on()
    {
        var rows = Parse("a,b\nok,row\nbad,\"open\nmore\n");

        rows.Count.ShouldBe(3);
        rows[2].Error.ShouldBe("A quoted field that starts on line 3 is never closed.");
    }

    [Fact]
    public void A_row_over_the_size_limit_is_reported_without_being_held_in_memory()
    {
        var big = new string('x', 10 * 1024 * 1024);

        var rows = Parse($"a,b\n1,{big}\n2,small\n", maxRecordChars: 1000);

        rows[1].Error!.ShouldContain("longer than 1,000 characters");
        rows[1].Fields.Sum(f => f.Length).ShouldBeLessThanOrEqualTo(1000);
        rows[2].Fields.ShouldBe(["2", "small"]);
    }

    [Fact]
    public void An_empty_input_has_no_rows()
    {
        Parse("").ShouldBeEmpty();
        Parse("\r\n\n").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("email,name,phone", ',')]
    [InlineData("email;name;phone", ';')]
    [InlineData("email\tname\tphone", '\t')]
    [InlineData("\"last, first\";email", ';')]
    [InlineData("single", ',')]
    public void The_delimiter_is_sniffed_from_the_header(string header, char expected)
    {
        CsvFormat.SniffDelimiter(header).ShouldBe(expected);
    }

    [Fact]
    public void Encoding_detection_tells_UTF8_from_Windows_1252()
    {
        string Detect(byte[] bytes)
        {
            var detector = new EncodingDetector();
            foreach (var chunk in bytes.Chunk(3)) detector.Feed(chunk); // multi-byte characters split across chunks
            return detector.Finish();
        }

        Detect(Encoding.UTF8.GetBytes("name\nRenée Müller\n")).ShouldBe(CsvFormat.Utf8);
        Detect(CodePagesWindows1252("name\nRenée Müller\n")).ShouldBe(CsvFormat.Windows1252);
        Detect(Encoding.ASCII.GetBytes("plain,ascii\n")).ShouldBe(CsvFormat.Utf8);
        Detect([0xEF, 0xBB, 0xBF, 0x61]).ShouldBe(CsvFormat.Utf8);
        Detect([0x61, 0xC3]).ShouldBe(CsvFormat.Windows1252); // cut off in the middle of a character
    }

    [Fact]
    public void The_writer_quotes_what_needs_it_and_defuses_formulas()
    {
        CsvWriter.Escape("plain").ShouldBe("plain");
        CsvWriter.Escape("a,b").ShouldBe("\"a,b\"");
        CsvWriter.Escape("say \"hi\"").ShouldBe("\"say \"\"hi\"\"\"");
        CsvWriter.Escape("=HYPERLINK(\"x\")").ShouldBe("\"'=HYPERLINK(\"\"x\"\")\"");
        CsvWriter.Escape("@SUM(A1)").ShouldBe("'@SUM(A1)");
        CsvWriter.Escape(null).ShouldBe("");
    }

    [Theory]
    [InlineData("'=SUM(1)", "=SUM(1)")]
    [InlineData("'-", "-")]
    [InlineData("'@home", "@home")]
    [InlineData("'-5", "'-5")]
    [InlineData("'tis", "'tis")]
    [InlineData("'", "'")]
    public void An_apostrophe_that_guards_a_formula_is_taken_off_on_the_way_back_in(string cell, string value) =>
        CsvWriter.Unguard(cell).ShouldBe(value);

    private static byte[] CodePagesWindows1252(string text)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252).GetBytes(text);
    }
}
