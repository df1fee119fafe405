using System.Text.RegularExpressions;

namespace Switchboard.Features.Tenants;

/// <summary>Validation of tenant settings: URL-safe slug, IANA time zone, ISO 4217 currency, ISO 3166 country.</summary>
public static partial class TenantRules
{
    public static readonly IReadOnlyList<string> DateFormats = ["yyyy-MM-dd", "MM/dd/yyyy", "dd/MM/yyyy", "dd.MM.yyyy"];

    private static readonly Lazy<HashSet<string>> Currencies = new(() =>
        CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(c => { try { return new RegionInfo(c.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal));

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex SlugPattern();

    public static void Slug(ValidationErrors errors, string? slug)
    {
        if (string.IsNullOrWhiteSpace(slug)) errors.Add("slug", "Slug is required.");
        else if (!SlugPattern().IsMatch(slug))
            errors.Add("slug", "Slug must be 1–63 lowercase letters, digits or hyphens, not starting or ending with a hyphen.");
    }

    public static void TimeZone(ValidationErrors errors, string? zone)
    {
        if (string.IsNullOrWhiteSpace(zone)) errors.Add("timeZone", "Time zone is required.");
        else if (!Platform.TimeZones.IsValid(zone))
            errors.Add("timeZone", $"'{zone}' is not an IANA time zone such as America/New_York.");
    }

    /// <summary>An absolute https URL: mail clients load it, and most refuse plain http images.</summary>
    public static void LogoUrl(ValidationErrors errors, string? url)
    {
        if (url is null) return;
        if (url.Length > 2000) errors.Add("logoUrl", "Logo URL must be at most 2,000 characters.");
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttps || parsed.Host.Length == 0)
            errors.Add("logoUrl", "Logo URL must be an https address, like https://example.com/logo.png.");
    }

    public static void Currency(ValidationErrors errors, string? currency)
    {
        if (string.IsNullOrWhiteSpace(currency)) errors.Add("currency", "Currency is required.");
        else if (!Currencies.Value.Contains(currency)) errors.Add("currency", $"'{currency}' is not an ISO 4217 currency code such as USD.");
    }

    public static void Country(ValidationErrors errors, string? country)
    {
        if (string.IsNullOrWhiteSpace(country)) errors.Add("defaultCountry", "Default country is required.");
        else if (!PhoneNumbers.IsValidCountry(country))
            errors.Add("defaultCountry", $"'{country}' is not a supported ISO 3166 alpha-2 country code such as US.");
    }

    public static void DateFormat(ValidationErrors errors, string? format)
    {
        if (format is not null && !DateFormats.Contains(format))
            errors.Add("dateFormat", $"Date format must be one of: {string.Join(", ", DateFormats)}.");
    }
}
