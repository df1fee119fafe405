extern alias LibPhoneNumber;

using System.Collections.Frozen;
using LibPhoneNumber::PhoneNumbers;

namespace Switchboard.Platform.Phones;

public readonly record struct PhoneParseResult(bool Success, string? E164, string? Error)
{
    public static PhoneParseResult Valid(string e164) => new(true, e164, null);

    public static PhoneParseResult Invalid(string error) => new(false, null, error);
}

/// <summary>
/// Phone numbers as the product uses them, on libphonenumber's metadata: what people type becomes E.164 when it is a
/// valid number (parsed in the tenant's country unless it carries its own), and stored numbers map back to a country.
/// </summary>
/// <remarks>See docs/decisions/0015-well-kept-libraries.md.</remarks>
public static class PhoneNumbers
{
    private const int MaxE164Digits = 15;

    private const int MaxEchoedLength = 40;

    /// <summary>libphonenumber's region for numbers under a non-geographic calling code (+800, +882 …).</summary>
    private const string NonGeographicRegion = "001";

    /// <summary>One shared instance: it is thread-safe, and loading its metadata is the expensive part.</summary>
    internal static PhoneNumberUtil Util { get; } = PhoneNumberUtil.GetInstance();

    // GetSupportedRegions builds a new set on every call: too slow for a check per imported row.
    private static readonly FrozenSet<string> Regions = Util.GetSupportedRegions().ToFrozenSet(StringComparer.Ordinal);

    private static readonly Lazy<PhoneNumberToTimeZonesMapper> ZoneMapper = new(PhoneNumberToTimeZonesMapper.GetInstance);

    public static PhoneParseResult Normalize(string? input, string defaultCountry)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return PhoneParseResult.Invalid("Phone number is empty.");
        }

        var text = input.Trim();
        if (PhoneInput.HasExtension(text))
        {
            return PhoneParseResult.Invalid($"{Echo(text)} has an extension; enter the number without it.");
        }

        var scan = PhoneInput.Scan(text);
        if (scan.Problem is not null)
        {
            return PhoneParseResult.Invalid($"{Echo(text)} is not a valid phone number: it {scan.Problem}.");
        }

        if (scan.Digits.Length == 0)
        {
            return PhoneParseResult.Invalid($"{Echo(text)} is not a valid phone number.");
        }

        // "00" is the international prefix almost everywhere, so it is read as one whatever the tenant's country;
        // other prefixes (011 in the NANP, 810 in Russia …) are the default country's business and libphonenumber's.
        if (scan.HasPlus || scan.Digits.StartsWith("00", StringComparison.Ordinal))
        {
            var skipped = scan.HasPlus ? 0 : 2;
            return NormalizeInternational(text, scan.Digits[skipped..], scan.ParenthesizedZeroAt - skipped);
        }

        if (SupportedRegion(defaultCountry) is not { } region)
        {
            return PhoneParseResult.Invalid(
                $"Country '{defaultCountry}' is not supported for national numbers; enter the number with its +countrycode.");
        }

        var digits = scan.ParenthesizedZeroAt is { } zeroAt ? scan.Digits.Insert(zeroAt, "0") : scan.Digits;
        return TryParse(digits, region, out var number) && Util.IsValidNumber(number)
            ? PhoneParseResult.Valid(E164(number))
            : PhoneParseResult.Invalid(NotValidFor(text, region));
    }

    /// <summary>True for a region libphonenumber has a numbering plan for (ISO 3166 alpha-2, plus XK, AC and TA).</summary>
    public static bool IsValidCountry(string isoAlpha2) => SupportedRegion(isoAlpha2) is not null;

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
                digits.Append(PhoneInput.AsciiDigit(c));
            }
        }

        return digits.ToString();
    }

    /// <summary>The country an E.164 number belongs to, or null for a non-geographic, unknown or non-E.164 number.</summary>
    public static string? RegionOf(string? e164)
    {
        if (ParseE164(e164) is { } number)
        {
            return Geographic(Util.GetRegionCodeForNumber(number) ?? Util.GetRegionCodeForCountryCode(number.CountryCode));
        }

        // Too short to parse ("+1"): the calling code alone still names its main country.
        var digits = e164 is not null && e164.TrimStart().StartsWith('+') ? Digits(e164) : "";
        for (var length = 1; length <= Math.Min(3, digits.Length); length++)
        {
            var region = Util.GetRegionCodeForCountryCode(int.Parse(digits[..length], CultureInfo.InvariantCulture));
            if (region != "ZZ")
            {
                return Geographic(region);
            }
        }

        return null;
    }

    /// <summary>The IANA zones libphonenumber places a number in: one for most landlines, the whole country's for a
    /// number that says nothing about where it is (a mobile in many countries, toll-free); empty when unknown.</summary>
    public static IReadOnlyList<string> TimeZonesOf(string? e164) =>
        ParseE164(e164) is { } number && Util.IsValidNumber(number)
            ? ZoneMapper.Value.GetTimeZonesForNumber(number)
                .Where(zone => zone != ZoneMapper.Value.GetUnknownTimeZone())
                .ToList()
            : [];

    /// <summary>A stored number (E.164) parsed back, or null.</summary>
    internal static PhoneNumber? ParseE164(string? e164)
    {
        if (string.IsNullOrWhiteSpace(e164) || !e164.TrimStart().StartsWith('+'))
        {
            return null;
        }

        return TryParse(e164, "ZZ", out var number) ? number : null;
    }

    internal static string? SupportedRegion(string? isoAlpha2)
    {
        var region = isoAlpha2?.Trim().ToUpperInvariant();
        return region is { Length: 2 } && Regions.Contains(region) ? region : null;
    }

    private static PhoneParseResult NormalizeInternational(string text, string digits, int? parenthesizedZeroAt)
    {
        if (digits.Length > MaxE164Digits)
        {
            return PhoneParseResult.Invalid($"{Echo(text)} is not a valid phone number: it has more than {MaxE164Digits} digits.");
        }

        PhoneNumber number;
        try
        {
            number = Util.Parse("+" + digits, "ZZ");
        }
        catch (NumberParseException e)
        {
            return PhoneParseResult.Invalid(e.ErrorType == ErrorType.INVALID_COUNTRY_CODE
                ? $"Unknown country calling code in {Echo(text)}."
                : $"{Echo(text)} is not a valid phone number.");
        }

        var callingCode = number.CountryCode.ToString(CultureInfo.InvariantCulture);
        if (parenthesizedZeroAt is { } zeroAt)
        {
            // "+44 (0)20 …" marks the trunk 0 a caller at home would dial: dropped in E.164 except where the plan keeps
            // it (Italy). Trying the number with the 0 lets the metadata decide.
            if (zeroAt != callingCode.Length)
            {
                return PhoneParseResult.Invalid($"{Echo(text)} is not a valid phone number: '(0)' may only follow the country code.");
            }

            if (TryParse("+" + digits.Insert(zeroAt, "0"), "ZZ", out var withZero) && Util.IsValidNumber(withZero))
            {
                number = withZero;
            }
        }

        return Util.IsValidNumber(number)
            ? PhoneParseResult.Valid(E164(number))
            : PhoneParseResult.Invalid(NotValidFor(text, $"+{callingCode}"));
    }

    private static bool TryParse(string text, string region, out PhoneNumber number)
    {
        try
        {
            number = Util.Parse(text, region);
            return true;
        }
        catch (NumberParseException)
        {
            number = null!;
            return false;
        }
    }

    private static string E164(PhoneNumber number) => Util.Format(number, PhoneNumberFormat.E164);

    private static string? Geographic(string? region) => region is null or "ZZ" or NonGeographicRegion ? null : region;

    private static string NotValidFor(string text, string where) => $"{Echo(text)} is not a valid phone number for {where}.";

    private static string Echo(string text) =>
        text.Length <= MaxEchoedLength ? $"'{text}'" : $"'{text[..MaxEchoedLength]}…'";
}
