using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.Features.Opportunities;

/// <summary>Readers for the field types JsonFields lacks (money, dates, currencies), with the same per-field errors.</summary>
internal static partial class FieldReaders
{
    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();

    public static Optional<decimal?> Money(this JsonFields fields, string name)
    {
        if (fields.Raw(name) is not { } value) return Optional<decimal?>.Unset;
        if (value.ValueKind == JsonValueKind.Null) return Optional<decimal?>.Of(null);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            if (number < 0) fields.Errors.Add(name, $"'{name}' cannot be negative.");
            else if (decimal.Round(number, 2) != number) fields.Errors.Add(name, $"'{name}' has at most two decimal places.");
            else if (number >= 10_000_000_000_000_000m) fields.Errors.Add(name, $"'{name}' is too large.");
            else return Optional<decimal?>.Of(number);
            return Optional<decimal?>.Unset;
        }
        fields.Errors.Add(name, $"'{name}' must be a number.");
        return Optional<decimal?>.Unset;
    }

    public static Optional<DateOnly?> Date(this JsonFields fields, string name)
    {
        var text = fields.String(name);
        if (!text.IsSet || text.Value is null) return text.IsSet ? Optional<DateOnly?>.Of(null) : Optional<DateOnly?>.Unset;
        if (DateOnly.TryParseExact(text.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return Optional<DateOnly?>.Of(date);
        fields.Errors.Add(name, $"'{name}' must be a date written YYYY-MM-DD.");
        return Optional<DateOnly?>.Unset;
    }

    /// <summary>An ISO 4217 code: three capital letters (checked again by the database).</summary>
    public static Optional<string?> Currency(this JsonFields fields, string name)
    {
        var text = fields.String(name);
        if (text is { IsSet: true, Value: { } code } && !CurrencyCode().IsMatch(code))
        {
            fields.Errors.Add(name, $"'{code}' is not an ISO 4217 currency code such as USD or EUR.");
            return Optional<string?>.Unset;
        }
        return text;
    }
}
