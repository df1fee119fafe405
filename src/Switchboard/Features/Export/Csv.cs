using Switchboard.Features.Lists;
using Switchboard.Platform.Csv;

namespace Switchboard.Features.Export;

/// <summary>
/// RFC 4180 cells: a field with a comma, quote or line break is quoted, quotes doubled, records end in CRLF. Text
/// that a spreadsheet would run as a formula (CsvWriter.RunsAsFormula) gets a leading apostrophe, so opening an
/// export never executes what a lead typed into a web form; phone numbers and plain numbers stay as they are.
/// </summary>
public static class Csv
{
    public const string NewLine = "\r\n";

    public static string Cell(string? text, bool guardFormula = true) => CsvWriter.Escape(text, guardFormula);

    public static string Record(IEnumerable<string> cells) => string.Join(',', cells) + NewLine;

    /// <summary>A row's value as a cell: names for owners and known ids, local times, invariant numbers, options joined by ';'.</summary>
    public static string Cell<TEntity, TDto>(ListField<TEntity, TDto> field, TDto row, ListContext ctx)
    {
        var value = field.ValueOf(row);
        return value switch
        {
            null => "",
            string text => Cell(text),
            // Numbers, dates and booleans are formatted here, not typed by users: "-5" stays a number.
            decimal number => Cell(number.ToString(CultureInfo.InvariantCulture), guardFormula: false),
            int number => Cell(number.ToString(CultureInfo.InvariantCulture), guardFormula: false),
            bool flag => flag ? "true" : "false",
            DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTimeOffset instant => TimeZoneInfo.ConvertTime(instant, ctx.Zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            Guid id => Cell(field.Kind == FieldKind.Owner || field.Kind == FieldKind.Reference ? ctx.NameOf(id) ?? id.ToString() : id.ToString()),
            IEnumerable<string> items => Cell(string.Join(';', items)),
            _ => Cell(Convert.ToString(value, CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>UTF-8 with a byte-order mark, so that spreadsheet programs read accented names correctly.</summary>
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
}
