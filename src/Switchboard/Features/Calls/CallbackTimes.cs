using Switchboard.Features.Calls.Compliance;

namespace Switchboard.Features.Calls;

/// <summary>A callback typed as the lead's wall-clock time (a datetime-local value), and the instant it means (Platform/TimeZones.FromLocal).</summary>
public static class CallbackTimes
{
    /// <summary>The wall clock a callback is typed on: the lead's own zone, else its number's, else the tenant's.</summary>
    public static TimeZoneInfo ZoneOf(string? leadTimeZone, string? phone, TenantSettings? tenant) =>
        Platform.TimeZones.FindOrUtc(LeadTimeZones.ResolveTimeZone(leadTimeZone, phone) ?? tenant?.TimeZone);

    /// <summary>A posted datetime-local value (blank: no callback) as an instant, or the field's error.</summary>
    public static Outcome<DateTimeOffset?> Parse(string? value, TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(value)) return new Outcome<DateTimeOffset?>.Ok(null);
        return Platform.TimeZones.FromLocal(value, zone, "callbackAt", "Enter the callback as a date and time.") switch
        {
            Outcome<DateTimeOffset>.Ok ok => new Outcome<DateTimeOffset?>.Ok(ok.Value),
            Outcome<DateTimeOffset>.Invalid invalid => new Outcome<DateTimeOffset?>.Invalid(invalid.Errors),
            _ => new Outcome<DateTimeOffset?>.Ok(null),
        };
    }
}
