using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Platform.Phones;

public readonly record struct PhoneParseResult(bool Success, string? E164, string? Error)
{
    public static PhoneParseResult Valid(string e164) => new(true, e164, null);

    public static PhoneParseResult Invalid(string error) => new(false, null, error);
}

/// <summary>
/// A small stand-in for libphonenumber (not on our package mirror): turns what people type into E.164,
/// checking the calling code and the length of the national number, not whether the number is assigned.
/// </summary>
public static partial class PhoneNumbers
{
    private const int MaxE164Digits = 15;

    // Niue (+683) and Tokelau (+690) have 4-digit national numbers: 7 digits in all.
    private const int MinE164DigitsWithoutPlan = 7;

    private const int MaxEchoedLength = 40;

    public static PhoneParseResult Normalize(string? input, string defaultCountry)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return PhoneParseResult.Invalid("Phone number is empty.");
        }

        var text = input.Trim();
        if (ExtensionSuffix().IsMatch(text))
        {
            return PhoneParseResult.Invalid($"{Echo(text)} has an extension; enter the number without it.");
        }

        var scan = Scan(text);
        if (scan.Problem is not null)
        {
            return PhoneParseResult.Invalid($"{Echo(text)} is not a valid phone number: it {scan.Problem}.");
        }

        if (scan.Digits.Length == 0)
        {
            return PhoneParseResult.Invalid($"{Echo(text)} is not a valid phone number.");
        }

        var homePlan = CallingCodes.PlanForCountry(defaultCountry);
        var internationalPrefix = scan.HasPlus ? "" : InternationalPrefix(scan.Digits, homePlan);
        if (internationalPrefix is not null)
        {
            var zeroAt = scan.ParenthesizedZeroAt - internationalPrefix.Length;
            return NormalizeInternational(text, scan.Digits[internationalPrefix.Length..], zeroAt);
        }

        if (homePlan is null)
        {
            return PhoneParseResult.Invalid(
                $"Country '{defaultCountry}' is not supported for national numbers; enter the number with its +countrycode.");
        }

        var digits = scan.ParenthesizedZeroAt is { } zeroIndex ? scan.Digits.Insert(zeroIndex, "0") : scan.Digits;
        return NormalizeNational(text, digits, homePlan);
    }

    public static bool IsValidCountry(string isoAlpha2) => CallingCodes.PlanForCountry(isoAlpha2) is not null;

    public static string Digits(string? input)
    {
        if (string.IsNullOrEmpty(input))
        {
            return "";
        }

        var digits = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (char.IsDigit(c))
            {
                digits.Append(AsciiDigit(c));
            }
        }

        return digits.ToString();
    }

    public static string? RegionOf(string e164)
    {
        if (string.IsNullOrWhiteSpace(e164) || !e164.TrimStart().StartsWith('+'))
        {
            return null;
        }

        var digits = Digits(e164);
        var callingCode = CallingCodes.MatchCallingCode(digits);
        if (callingCode is null)
        {
            return null;
        }

        var national = digits[callingCode.Length..];
        return callingCode switch
        {
            CallingCodes.Nanp => national.Length >= 3 ? CallingCodes.NanpRegionForAreaCode(national[..3]) : "US",
            "7" => national.StartsWith('6') || national.StartsWith('7') ? "KZ" : "RU",
            _ => CallingCodes.RegionForCallingCode(callingCode),
        };
    }

    private static PhoneParseResult NormalizeInternational(string text, string digits, int? parenthesizedZeroAt)
    {
        if (digits.Length > MaxE164Digits)
        {
            return PhoneParseResult.Invalid($"{Echo(text)} is not a valid phone number: it has more than {MaxE164Digits} digits.");
        }

        var callingCode = CallingCodes.MatchCallingCode(digits);
        if (callingCode is null)
        {
            return PhoneParseResult.Invalid($"Unknown country calling code in {Echo(text)}.");
        }

        var plan = CallingCodes.PlanForCallingCode(callingCode);
        var national = digits[callingCode.Length..];
        if (parenthesizedZeroAt is not null)
        {
            // "+44 (0)20 ..." marks the trunk 0 a caller at home would dial; only Italy keeps that 0 in E.164.
            if (parenthesizedZeroAt != callingCode.Length)
            {
                return PhoneParseResult.Invalid($"{Echo(text)} is not a valid phone number: '(0)' may only follow the country code.");
            }

            if (plan?.KeepsLeadingZero == true)
            {
                national = "0" + national;
            }
        }

        if (plan is null)
        {
            var total = callingCode.Length + national.Length;
            return total is >= MinE164DigitsWithoutPlan and <= MaxE164Digits
                ? PhoneParseResult.Valid($"+{callingCode}{national}")
                : PhoneParseResult.Invalid(NotValidFor(text, $"+{callingCode}"));
        }

        var significant = NationalSignificantNumber(plan, national);
        return significant is null
            ? PhoneParseResult.Invalid(NotValidFor(text, $"+{callingCode}"))
            : PhoneParseResult.Valid($"+{callingCode}{significant}");
    }

    private static PhoneParseResult NormalizeNational(string text, string digits, NumberingPlan plan)
    {
        // Imported lists often carry the country code without its '+', e.g. "447700900123" for a UK mobile.
        var significant = NationalSignificantNumber(plan, digits)
            ?? (digits.StartsWith(plan.CallingCode, StringComparison.Ordinal)
                ? NationalSignificantNumber(plan, digits[plan.CallingCode.Length..])
                : null);

        return significant is null
            ? PhoneParseResult.Invalid(NotValidFor(text, plan.Country))
            : PhoneParseResult.Valid($"+{plan.CallingCode}{significant}");
    }

    private static string? NationalSignificantNumber(NumberingPlan plan, string digits)
    {
        // Strip the trunk prefix only when what remains is a possible number: a Russian "800 ..." freephone
        // number starts with the trunk digit 8 and must keep it.
        if (plan.TrunkPrefix is { } trunk && digits.StartsWith(trunk, StringComparison.Ordinal))
        {
            var withoutTrunk = digits[trunk.Length..];
            if (IsPossible(plan, withoutTrunk))
            {
                return withoutTrunk;
            }
        }

        return IsPossible(plan, digits) ? digits : null;
    }

    private static bool IsPossible(NumberingPlan plan, string significant)
    {
        if (significant.Length < plan.MinLength
            || significant.Length > plan.MaxLength
            || plan.CallingCode.Length + significant.Length > MaxE164Digits)
        {
            return false;
        }

        if (plan.CallingCode == CallingCodes.Nanp)
        {
            return IsNanpNumber(significant);
        }

        // Where the trunk prefix starts with 0, no national number does: a leading 0 is a stray trunk prefix.
        return !(significant[0] == '0' && plan.TrunkPrefix?.StartsWith('0') == true && !plan.KeepsLeadingZero);
    }

    private static bool IsNanpNumber(string significant) =>
        significant.Length == 10 && significant[0] is >= '2' and <= '9' && significant[3] is >= '2' and <= '9';

    /// <summary>The digits that say "international" when there is no '+', or null for a national number.</summary>
    private static string? InternationalPrefix(string digits, NumberingPlan? homePlan)
    {
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            return "00";
        }

        // No NANP number starts with 0, so 011 (the NANP international access code) is unambiguous.
        return homePlan?.CallingCode == CallingCodes.Nanp && digits.StartsWith("011", StringComparison.Ordinal) ? "011" : null;
    }

    private static Scanned Scan(string text)
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

    private static char AsciiDigit(char c) => (char)('0' + CharUnicodeInfo.GetDecimalDigitValue(c));

    private static string NotValidFor(string text, string where) => $"{Echo(text)} is not a valid phone number for {where}.";

    private static string Echo(string text) =>
        text.Length <= MaxEchoedLength ? $"'{text}'" : $"'{text[..MaxEchoedLength]}…'";

    [GeneratedRegex(@"(?:;\s*ext\s*=|ext(?:ension|n)?\.?|x|#)\s*\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExtensionSuffix();

    private readonly record struct Scanned(string Digits, bool HasPlus, int? ParenthesizedZeroAt, string? Problem);
}
