using Switchboard.Features.Support.Triage;

namespace Switchboard.Features.Support.Tickets;

/// <summary>
/// SLA due times (ADR 0058). A target in business hours counts only Monday to Friday, 09:00–17:00 in the tenant's time
/// zone (no holidays yet); otherwise it counts every hour. Wall-clock arithmetic happens in the zone's local time and is
/// converted back per instant, so a DST change inside a working day moves nothing.
/// </summary>
public static class SlaClock
{
    public static readonly TimeOnly DayStart = new(9, 0);
    public static readonly TimeOnly DayEnd = new(17, 0);

    public static (DateTimeOffset FirstResponse, DateTimeOffset Resolution) DueTimes(DateTimeOffset start, SlaTarget target, TimeZoneInfo zone) =>
        (Add(start, target.FirstResponseHours, target.BusinessHours, zone), Add(start, target.ResolutionHours, target.BusinessHours, zone));

    public static DateTimeOffset Add(DateTimeOffset start, int hours, bool businessHours, TimeZoneInfo zone)
    {
        if (!businessHours) return start.AddHours(hours);
        var remaining = TimeSpan.FromHours(hours);
        var local = TimeZoneInfo.ConvertTime(start, zone).DateTime;
        while (true)
        {
            var day = DateOnly.FromDateTime(local);
            var open = day.ToDateTime(DayStart);
            var close = day.ToDateTime(DayEnd);
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || local >= close)
            {
                local = day.AddDays(1).ToDateTime(DayStart);
                continue;
            }
            if (local < open) local = open;
            var left = close - local;
            if (remaining <= left) return ToInstant(local + remaining, zone);
            remaining -= left;
            local = day.AddDays(1).ToDateTime(DayStart);
        }
    }

    private static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // 09:00–17:00 never falls in a DST gap in practice; if a zone puts one there, the hour after it stands.
        if (zone.IsInvalidTime(unspecified)) unspecified = unspecified.AddHours(1);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    /// <summary>"due in 2h", "breached 30m ago" — how a due time reads at <paramref name="now"/>.</summary>
    public static string Describe(DateTimeOffset due, DateTimeOffset now) =>
        due > now ? $"due in {Span(due - now)}" : $"breached {Span(now - due)} ago";

    private static string Span(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h".Replace(" 0h", "")
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m".Replace(" 0m", "")
        : $"{Math.Max(1, (int)Math.Ceiling(span.TotalMinutes))}m";
}
