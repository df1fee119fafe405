namespace Switchboard.Ui;

/// <summary>Formatting for people: dates in the tenant's time zone and format, labels, initials.</summary>
public static class Display
{
    public static string DateTime(DateTimeOffset value, TenantSettings? tenant) =>
        Local(value, tenant).ToString((tenant?.DateFormat ?? "yyyy-MM-dd") + " HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static string Phone(string? e164, TenantSettings? tenant) =>
        Switchboard.Platform.Phones.PhoneDisplay.Format(e164, tenant?.DefaultCountry ?? "US");

    public static string Date(DateTimeOffset value, TenantSettings? tenant) =>
        Local(value, tenant).ToString(tenant?.DateFormat ?? "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The ISO-8601 instant, for &lt;time datetime&gt; attributes.</summary>
    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    public static string ZoneName(TenantSettings? tenant) => tenant?.TimeZone ?? "UTC";

    private static DateTimeOffset Local(DateTimeOffset value, TenantSettings? tenant) =>
        TimeZoneInfo.ConvertTime(value, Platform.TimeZones.FindOrUtc(tenant?.TimeZone));

    public static string Label(string value) =>
        value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..];

    /// <summary>
    /// Up to two initials for an avatar: the first character of the first and last words, where a character is a whole
    /// grapheme cluster (an emoji, a flag or a letter with its accent is never cut in half). Words that start with a
    /// letter or digit are preferred, so "Globex Café 🚀" is "GC"; a name of emoji only shows its first one.
    /// </summary>
    public static string Initials(string name)
    {
        var firsts = name.Normalize(System.Text.NormalizationForm.FormC)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(word => System.Globalization.StringInfo.GetNextTextElement(word))
            .ToList();
        if (firsts.Count == 0) return "?";
        var letters = firsts.Where(first => char.IsLetterOrDigit(first, 0)).ToList();
        var initials = letters.Count switch
        {
            0 => firsts[0],
            1 => letters[0],
            _ => letters[0] + letters[^1],
        };
        return initials.ToUpperInvariant();
    }

    public static string FullName(string? first, string? last) => $"{first} {last}".Trim();
}
