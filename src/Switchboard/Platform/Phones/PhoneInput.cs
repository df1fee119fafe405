using System.Text.RegularExpressions;

namespace Switchboard.Platform.Phones;

/// <summary>
/// What we accept as typed phone input before libphonenumber sees it: digits (any script), a leading '+', common
/// separators and one "(0)". Letters (vanity numbers, "tel:") and extensions are refused with a message of their own,
/// where libphonenumber would quietly convert or drop them.
/// </summary>
internal static partial class PhoneInput
{
    public readonly record struct Scanned(string Digits, bool HasPlus, int? ParenthesizedZeroAt, string? Problem);

    public static bool HasExtension(string text) => ExtensionSuffix().IsMatch(text);

    public static Scanned Scan(string text)
    {
        var digits = new StringBuilder(text.Length);
        var hasPlus = false;
        int? parenthesizedZeroAt = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsDigit(c))
            {
                digits.Append(AsciiDigit(c));
            }
            else if (c == '+' && !hasPlus && digits.Length == 0 && parenthesizedZeroAt is null)
            {
                hasPlus = true;
            }
            else if (c == '(' && parenthesizedZeroAt is null && ParenthesizedZeroEnd(text, i) is var end and > 0)
            {
                parenthesizedZeroAt = digits.Length;
                i = end;
            }
            else if (!IsSeparator(c))
            {
                var problem = char.IsLetter(c) ? "contains letters" : $"contains '{c}'";
                return new Scanned("", false, null, problem);
            }
        }

        return new Scanned(digits.ToString(), hasPlus, parenthesizedZeroAt, null);
    }

    public static char AsciiDigit(char c) => (char)('0' + CharUnicodeInfo.GetDecimalDigitValue(c));

    /// <summary>Index of the ')' closing a "(0)" that opens at <paramref name="open"/>, or -1.</summary>
    private static int ParenthesizedZeroEnd(string text, int open)
    {
        var i = SkipWhiteSpace(text, open + 1);
        if (i >= text.Length || !char.IsDigit(text[i]) || AsciiDigit(text[i]) != '0')
        {
            return -1;
        }

        i = SkipWhiteSpace(text, i + 1);
        return i < text.Length && text[i] == ')' ? i : -1;
    }

    private static int SkipWhiteSpace(string text, int from)
    {
        while (from < text.Length && char.IsWhiteSpace(text[from]))
        {
            from++;
        }

        return from;
    }

    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c)
        || c is '.' or '-' or '/' or '(' or ')'
        || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.DashPunctuation;

    [GeneratedRegex(@"(?:;\s*ext\s*=|ext(?:ension|n)?\.?|x|#)\s*\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExtensionSuffix();
}
