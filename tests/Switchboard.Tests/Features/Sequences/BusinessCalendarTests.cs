using Switchboard.Platform;

namespace Switchboard.Tests.Features.Sequences;

/// <summary>The sending-window and business-day arithmetic on the recipient's clock (ADR 0060).</summary>
public sealed class BusinessCalendarTests
{
    private static readonly IReadOnlySet<DateOnly> NoHolidays = new HashSet<DateOnly>();
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly TimeZoneInfo LosAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset Utc(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_instant_is_inside_the_window_in_Tokyo_and_waits_for_the_next_morning_in_Los_Angeles()
    {
        // Tuesday 2026-03-03 01:00 UTC: 10:00 Tuesday in Tokyo, 17:00 Monday in Los Angeles (window closed).
        var at = Utc(2026, 3, 3, 1);

        BusinessCalendar.NextOpening(at, Tokyo, BusinessWindow.Default, NoHolidays).ShouldBe(at);
        // Los Angeles opens Tuesday 09:00 PST = 17:00 UTC.
        BusinessCalendar.NextOpening(at, LosAngeles, BusinessWindow.Default, NoHolidays).ShouldBe(Utc(2026, 3, 3, 17));
    }

    [Fact]
    public void Friday_evening_waits_for_Monday_morning_on_the_recipients_clock()
    {
        // Friday 2026-03-06 18:00 in Tokyo (09:00 UTC).
        BusinessCalendar.NextOpening(Utc(2026, 3, 6, 9), Tokyo, BusinessWindow.Default, NoHolidays).ShouldBe(Utc(2026, 3, 9, 0)); // Monday 09:00 JST
    }

    [Fact]
    public void A_holiday_is_skipped()
    {
        var holidays = new HashSet<DateOnly> { new(2026, 3, 3) };
        // Monday 2026-03-02 20:00 in Los Angeles; Tuesday is a holiday, so Wednesday 09:00 PST (17:00 UTC).
        BusinessCalendar.NextOpening(Utc(2026, 3, 3, 4), LosAngeles, BusinessWindow.Default, holidays).ShouldBe(Utc(2026, 3, 4, 17));
    }

    [Fact]
    public void Nine_in_the_morning_after_spring_forward_in_New_York_is_nine_local()
    {
        // Clocks go forward on Sunday 2026-03-08. Friday 2026-03-06 18:00 EST → Monday 09:00 EDT = 13:00 UTC (not 14:00).
        var opening = BusinessCalendar.NextOpening(Utc(2026, 3, 6, 23), NewYork, BusinessWindow.Default, NoHolidays)!.Value;
        opening.ShouldBe(Utc(2026, 3, 9, 13));
        TimeZoneInfo.ConvertTime(opening, NewYork).Hour.ShouldBe(9);
    }

    [Fact]
    public void Nine_in_the_morning_after_fall_back_in_New_York_is_nine_local()
    {
        // Clocks go back on Sunday 2026-11-01. Friday 2026-10-30 18:00 EDT → Monday 09:00 EST = 14:00 UTC.
        BusinessCalendar.NextOpening(Utc(2026, 10, 30, 22), NewYork, BusinessWindow.Default, NoHolidays).ShouldBe(Utc(2026, 11, 2, 14));
    }

    [Fact]
    public void A_window_on_the_day_of_the_change_in_Berlin_opens_at_the_local_hour_both_in_spring_and_in_autumn()
    {
        var everyDay = new BusinessWindow(Enum.GetValues<DayOfWeek>().ToHashSet(), new TimeOnly(9, 0), new TimeOnly(17, 0));
        // Sunday 2026-03-29 (CET → CEST at 02:00): 09:00 CEST = 07:00 UTC.
        BusinessCalendar.NextOpening(Utc(2026, 3, 28, 20), Berlin, everyDay, NoHolidays).ShouldBe(Utc(2026, 3, 29, 7));
        // Sunday 2026-10-25 (CEST → CET at 03:00): 09:00 CET = 08:00 UTC.
        BusinessCalendar.NextOpening(Utc(2026, 10, 24, 20), Berlin, everyDay, NoHolidays).ShouldBe(Utc(2026, 10, 25, 8));
    }

    [Fact]
    public void A_wall_clock_time_the_clocks_skip_moves_to_the_first_minute_that_exists()
    {
        // 02:30 on 2026-03-29 does not exist in Berlin; 03:00 CEST = 01:00 UTC.
        BusinessCalendar.AtLocal(new DateOnly(2026, 3, 29), new TimeOnly(2, 30), Berlin).ShouldBe(Utc(2026, 3, 29, 1));
    }

    [Fact]
    public void Waiting_business_days_skips_the_weekend_and_keeps_the_local_time_across_a_DST_change()
    {
        // Thursday 2026-03-05 10:00 EST (15:00 UTC) + 2 business days = Monday 2026-03-09 10:00 EDT (14:00 UTC).
        var due = BusinessCalendar.AddBusinessDays(Utc(2026, 3, 5, 15), 2, NewYork, BusinessWindow.Weekdays, NoHolidays);
        due.ShouldBe(Utc(2026, 3, 9, 14));
    }

    [Fact]
    public void Waiting_business_days_skips_a_holiday()
    {
        var holidays = new HashSet<DateOnly> { new(2026, 3, 9) };
        // Friday 2026-03-06 10:00 in Tokyo + 1 business day: Monday is a holiday, so Tuesday 10:00 JST.
        BusinessCalendar.AddBusinessDays(Utc(2026, 3, 6, 1), 1, Tokyo, BusinessWindow.Weekdays, holidays).ShouldBe(Utc(2026, 3, 10, 1));
    }

    [Fact]
    public void A_window_without_days_never_opens()
    {
        var never = new BusinessWindow(new HashSet<DayOfWeek>(), new TimeOnly(9, 0), new TimeOnly(17, 0));
        BusinessCalendar.NextOpening(Utc(2026, 3, 3, 1), Tokyo, never, NoHolidays).ShouldBeNull();
    }
}
