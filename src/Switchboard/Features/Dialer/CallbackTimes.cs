namespace Switchboard.Features.Dialer;

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

    private static Outcome<DateTimeOffset> Invalid(string message) =>
        new Outcome<DateTimeOffset>.Invalid(new Dictionary<string, string[]> { ["callbackAt"] = [message] });
}
