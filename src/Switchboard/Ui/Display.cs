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

    public static string Initials(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            0 => "?",
            1 => parts[0][..1].ToUpperInvariant(),
            _ => (parts[0][..1] + parts[^1][..1]).ToUpperInvariant(),
        };
    }

    public static string FullName(string? first, string? last) => $"{first} {last}".Trim();
}
