namespace Switchboard.Platform;

/// <summary>IANA time zones as the product uses them: validating a setting, and the tenant's (or lead's) day.</summary>
public static class TimeZones
{
    /// <summary>True for an IANA zone id this machine knows, such as America/New_York (not "EST", not a Windows id).</summary>
    public static bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? zone)
    {
        if (string.IsNullOrWhiteSpace(zone)) return false;
        var id = zone.Trim();
        return (id.Contains('/') || id == "UTC") && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
    }

    /// <summary>The zone, or UTC when the id is missing or unknown.</summary>
    public static TimeZoneInfo FindOrUtc(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>The first instant of a local day, in UTC. A midnight skipped by a DST change starts the day at the first instant that exists.</summary>
    public static DateTimeOffset StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static readonly string[] WallClockFormats = ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"];

    /// <summary>
    /// The UTC instant of a wall-clock time typed in a form (a datetime-local value) on the clock of <paramref name="zone"/>,
    /// with that day's offset (daylight saving included). A time the clocks skip is refused; a time they repeat is the later
    /// (standard time) one. Errors are keyed by <paramref name="field"/>, the form field that holds the value.
    /// </summary>
    public static Outcome<DateTimeOffset> FromLocal(string value, TimeZoneInfo zone, string field, string unreadable = "Enter a date and time.")
    {
        if (!DateTime.TryParseExact(value.Trim(), WallClockFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return Invalid(field, unreadable);
        if (zone.IsInvalidTime(local))
            return Invalid(field, $"That time does not exist in {zone.Id} (the clocks change); pick another.");
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    private static Outcome<DateTimeOffset> Invalid(string field, string message) =>
        new Outcome<DateTimeOffset>.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
