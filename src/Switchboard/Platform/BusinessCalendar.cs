namespace Switchboard.Platform;

/// <summary>
/// When work may happen on someone's clock: days of the week and an hour range, e.g. Monday to Friday 09:00–17:00
/// (<see cref="Default"/>). <see cref="To"/> is exclusive; <see cref="From"/> is before it on the same day.
/// </summary>
public sealed record BusinessWindow(IReadOnlySet<DayOfWeek> Days, TimeOnly From, TimeOnly To)
{
    public static readonly IReadOnlySet<DayOfWeek> Weekdays =
        new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };

    public static readonly BusinessWindow Default = new(Weekdays, new TimeOnly(9, 0), new TimeOnly(17, 0));
}

/// <summary>
/// Business-day and sending-window arithmetic (ADR 0060), pure over a <see cref="TimeZoneInfo"/> and a set of holiday
/// dates. Everything is computed on the local wall clock and converted to an instant at the end, so 09:00 on the day
/// after a daylight-saving change is 09:00 local, not 08:00 or 10:00. A wall-clock time the clocks skip moves forward
/// to the first instant that exists; a time they repeat is its first occurrence.
/// </summary>
public static class BusinessCalendar
{
    /// <summary>Guards the searches below: a window with no day that is not a holiday within this many days has no opening.</summary>
    private const int MaxSearchDays = 3 * 366;

    public static bool IsBusinessDay(DateOnly day, IReadOnlySet<DayOfWeek> days, IReadOnlySet<DateOnly> holidays) =>
        days.Contains(day.DayOfWeek) && !holidays.Contains(day);

    /// <summary>The instant of a wall-clock time on a local day (skipped times move forward; repeated times are the first).</summary>
    public static DateTimeOffset AtLocal(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Inside a spring-forward gap: the first minute after it.
            while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
            return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>
    /// <paramref name="at"/> itself when it falls inside the window on a business day of <paramref name="zone"/>, else the
    /// window's next opening; null when the window never opens (no days, or every day a holiday for years).
    /// </summary>
    public static DateTimeOffset? NextOpening(DateTimeOffset at, TimeZoneInfo zone, BusinessWindow window, IReadOnlySet<DateOnly> holidays)
    {
        if (window.From >= window.To) return null;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        for (var i = 0; i <= MaxSearchDays; i++, day = day.AddDays(1))
        {
            if (!IsBusinessDay(day, window.Days, holidays)) continue;
            var opens = AtLocal(day, window.From, zone);
            var closes = AtLocal(day, window.To, zone);
            if (at < opens) return opens;
            if (at < closes) return at.ToUniversalTime();
        }
        return null;
    }

    /// <summary>
    /// The same local time of day <paramref name="count"/> business days after <paramref name="from"/>'s local day
    /// (weekends per <paramref name="days"/> and holidays skipped). A start on a non-business day counts from that day,
    /// so Saturday + 1 is Monday.
    /// </summary>
    public static DateTimeOffset AddBusinessDays(DateTimeOffset from, int count, TimeZoneInfo zone, IReadOnlySet<DayOfWeek> days, IReadOnlySet<DateOnly> holidays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (days.Count == 0) throw new ArgumentException("At least one business day of the week is needed.", nameof(days));
        var local = TimeZoneInfo.ConvertTime(from, zone).DateTime;
        var day = DateOnly.FromDateTime(local);
        var added = 0;
        for (var guard = 0; added < count; guard++)
        {
            if (guard > MaxSearchDays + count) throw new InvalidOperationException("No business day found; check the holidays.");
            day = day.AddDays(1);
            if (IsBusinessDay(day, days, holidays)) added++;
        }
        return AtLocal(day, TimeOnly.FromDateTime(local), zone);
    }

    /// <summary>
    /// The instant <paramref name="hours"/> working hours after <paramref name="from"/>, counting only time inside the
    /// window on business days (holidays skipped): 4 hours from Friday 15:00 in a 09:00–17:00 week is Monday 11:00.
    /// Counted on the local wall clock, so a daylight-saving change inside a working day moves nothing.
    /// </summary>
    public static DateTimeOffset AddBusinessHours(DateTimeOffset from, double hours, TimeZoneInfo zone, BusinessWindow window, IReadOnlySet<DateOnly> holidays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hours);
        if (window.From >= window.To || window.Days.Count == 0) throw new ArgumentException("The window never opens.", nameof(window));
        var remaining = TimeSpan.FromHours(hours);
        var local = TimeZoneInfo.ConvertTime(from, zone).DateTime;
        var day = DateOnly.FromDateTime(local);
        for (var guard = 0; ; guard++, day = day.AddDays(1))
        {
            if (guard > MaxSearchDays + (int)(hours / 24) * 7) throw new InvalidOperationException("No business day found; check the holidays.");
            if (!IsBusinessDay(day, window.Days, holidays)) continue;
            var opens = day.ToDateTime(window.From);
            var closes = day.ToDateTime(window.To);
            var start = local > opens ? local : opens;
            if (start >= closes) continue;
            if (remaining <= closes - start) return AtLocal(day, TimeOnly.FromDateTime(start + remaining), zone);
            remaining -= closes - start;
        }
    }
}
