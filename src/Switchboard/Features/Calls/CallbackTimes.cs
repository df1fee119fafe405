using Switchboard.Features.Calls.Compliance;

namespace Switchboard.Features.Calls;

/// <summary>A callback typed as the lead's wall-clock time (a datetime-local value), and the instant it means.</summary>
public static class CallbackTimes
{
    private static readonly string[] Formats = ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"];

    /// <summary>
    /// The UTC instant of <paramref name="value"/> on the wall clock of <paramref name="zone"/>, with that day's offset
    /// (daylight saving included). A time the clocks skip is refused; a time they repeat is the later (standard time) one.
    /// </summary>
    public static Outcome<DateTimeOffset> FromLocal(string value, TimeZoneInfo zone)
    {
        if (!DateTime.TryParseExact(value, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return Invalid("Enter the callback as a date and time.");
        if (zone.IsInvalidTime(local))
            return Invalid($"That time does not exist in {zone.Id} (the clocks change); pick another.");
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    /// <summary>The wall clock a callback is typed on: the lead's own zone, else its number's, else the tenant's.</summary>
    public static TimeZoneInfo ZoneOf(string? leadTimeZone, string? phone, TenantSettings? tenant) =>
        Platform.TimeZones.FindOrUtc(LeadTimeZones.ResolveTimeZone(leadTimeZone, phone) ?? tenant?.TimeZone);

    /// <summary>A posted datetime-local value (blank: no callback) as an instant, or the field's error.</summary>
    public static Outcome<DateTimeOffset?> Parse(string? value, TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(value)) return new Outcome<DateTimeOffset?>.Ok(null);
        return FromLocal(value, zone) switch
        {
            Outcome<DateTimeOffset>.Ok ok => new Outcome<DateTimeOffset?>.Ok(ok.Value),
            Outcome<DateTimeOffset>.Invalid invalid => new Outcome<DateTimeOffset?>.Invalid(invalid.Errors),
            _ => new Outcome<DateTimeOffset?>.Ok(null),
        };
    }

    private static Outcome<DateTimeOffset> Invalid(string message) =>
        new Outcome<DateTimeOffset>.Invalid(new Dictionary<string, string[]> { ["callbackAt"] = [message] });
}
