using System.Text.RegularExpressions;

namespace Switchboard.Features.Opportunities;

/// <summary>
/// The domain checks of money and currency members, on top of what the body reader checks (a number, a string): each
/// adds its message under <c>name</c> and returns an unset member when the value is refused.
/// </summary>
internal static partial class FieldReaders
{
    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();

    /// <summary>An amount of money: not negative, at most two decimal places, below 10^16 (numeric(18,2)).</summary>
    public static Optional<decimal?> Money(this Optional<decimal?> member, string name, ValidationErrors errors)
    {
        if (member is not { IsSet: true, Value: { } number }) return member;
        if (number < 0) errors.Add(name, $"'{name}' cannot be negative.");
        else if (decimal.Round(number, 2) != number) errors.Add(name, $"'{name}' has at most two decimal places.");
        else if (number >= 10_000_000_000_000_000m) errors.Add(name, $"'{name}' is too large.");
        else return member;
        return Optional<decimal?>.Unset;
    }

    /// <summary>An ISO 4217 code: three capital letters (checked again by the database).</summary>
    public static Optional<string?> Currency(this Optional<string?> member, string name, ValidationErrors errors)
    {
        if (member is not { IsSet: true, Value: { } code } || CurrencyCode().IsMatch(code)) return member;
        errors.Add(name, $"'{code}' is not an ISO 4217 currency code such as USD or EUR.");
        return Optional<string?>.Unset;
    }

    /// <summary>
    /// A number typed into a form. Text that is not one becomes the error the API gives for a non-number, so the
    /// page names the field the same way; blank is null.
    /// </summary>
    public static Optional<decimal?> FormDecimal(string? text, NumberStyles styles) =>
        string.IsNullOrWhiteSpace(text) ? Optional.Of<decimal?>(null)
        : decimal.TryParse(text, styles, CultureInfo.InvariantCulture, out var value) ? Optional.Of<decimal?>(value)
        : Optional<decimal?>.Invalid("must be a number");

    /// <summary>A date input's value (yyyy-MM-dd), as <see cref="FormDecimal"/>; blank is null (clears it).</summary>
    public static Optional<DateOnly?> FormDate(string? text) =>
        string.IsNullOrWhiteSpace(text) ? Optional.Of<DateOnly?>(null)
        : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? Optional.Of<DateOnly?>(date)
        : Optional<DateOnly?>.Invalid("must be a date written YYYY-MM-DD");

    /// <summary>A whole number typed into a form, as <see cref="FormDecimal"/>; blank is unset (not sent).</summary>
    public static Optional<int?> FormInt(string? text) =>
        string.IsNullOrWhiteSpace(text) ? default
        : int.TryParse(text, out var value) ? Optional.Of<int?>(value)
        : Optional<int?>.Invalid("must be a whole number");
}
