using Switchboard.Platform;
using Switchboard.Features.Support.Triage;

namespace Switchboard.Features.Support.Tickets;

/// <summary>
/// SLA due times (ADR 0058). A target in business hours counts only the working week, Monday to Friday 09:00–17:00 in
/// the tenant's time zone, skipping the tenant's holidays (<see cref="BusinessCalendar.AddBusinessHours"/>); otherwise it
/// counts every hour.
/// </summary>
public static class SlaClock
{
    public static (DateTimeOffset FirstResponse, DateTimeOffset Resolution) DueTimes(DateTimeOffset start, SlaTarget target, TimeZoneInfo zone, IReadOnlySet<DateOnly> holidays) =>
        (Add(start, target.FirstResponseHours, target.BusinessHours, zone, holidays), Add(start, target.ResolutionHours, target.BusinessHours, zone, holidays));

    public static DateTimeOffset Add(DateTimeOffset start, int hours, bool businessHours, TimeZoneInfo zone, IReadOnlySet<DateOnly> holidays) =>
        businessHours ? BusinessCalendar.AddBusinessHours(start, hours, zone, BusinessWindow.Default, holidays) : start.AddHours(hours);

    /// <summary>"due in 2h", "breached 30m ago" — how a due time reads at <paramref name="now"/>.</summary>
    public static string Describe(DateTimeOffset due, DateTimeOffset now) =>
        due > now ? $"due in {Span(due - now)}" : $"breached {Span(now - due)} ago";

    private static string Span(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h".Replace(" 0h", "")
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m".Replace(" 0m", "")
        : $"{Math.Max(1, (int)Math.Ceiling(span.TotalMinutes))}m";
}
