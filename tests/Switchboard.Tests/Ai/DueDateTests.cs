using System.Globalization;
using Switchboard.Features.Ai.Engines;

namespace Switchboard.Tests.Ai;

public sealed class DueDateTests
{
    private const string NewYork = "America/New_York";
    private const string Tuesday = "2026-03-03T10:15:00-05:00"; // a Tuesday morning in New York

    private static string Local(string? phrase, string callStartedAt, string zone = NewYork)
    {
        var at = DueDates.Resolve(phrase, DateTimeOffset.Parse(callStartedAt, CultureInfo.InvariantCulture), zone);
        at.Offset.ShouldBe(TimeSpan.Zero);
        return TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("today", "2026-03-03 17:00")]
    [InlineData("tonight", "2026-03-03 19:00")]
    [InlineData("tomorrow", "2026-03-04 09:00")]
    [InlineData("Tomorrow at 3", "2026-03-04 15:00")]
    [InlineData("tomorrow at 10:30", "2026-03-04 10:30")]
    [InlineData("at 3pm", "2026-03-03 15:00")]
    [InlineData("at 15:00", "2026-03-03 15:00")]
    [InlineData("at 9", "2026-03-04 09:00")]
    [InlineData("at 12", "2026-03-03 12:00")]
    [InlineData("by Friday", "2026-03-06 09:00")]
    [InlineData("on friday", "2026-03-06 09:00")]
    [InlineData("this Friday", "2026-03-06 09:00")]
    [InlineData("Tuesday", "2026-03-10 09:00")]
    [InlineData("next Friday", "2026-03-13 09:00")]
    [InlineData("first thing Monday", "2026-03-09 09:00")]
    [InlineData("Monday at 2", "2026-03-09 14:00")]
    [InlineData("by end of day", "2026-03-03 17:00")]
    [InlineData("EOD", "2026-03-03 17:00")]
    [InlineData("next week", "2026-03-09 09:00")]
    [InlineData("by the end of the week", "2026-03-06 17:00")]
    [InlineData("end of the month", "2026-03-31 17:00")]
    [InlineData("in two days", "2026-03-05 09:00")]
    [InlineData("in 2 days", "2026-03-05 09:00")]
    [InlineData("in a couple of days", "2026-03-05 09:00")]
    [InlineData("in three hours", "2026-03-03 13:15")]
    [InlineData("in an hour", "2026-03-03 11:15")]
    [InlineData("within the hour", "2026-03-03 11:15")]
    [InlineData("in a week", "2026-03-10 09:00")]
    [InlineData("next month", "2026-04-01 09:00")]
    public void A_phrase_resolves_in_the_leads_zone(string phrase, string expected) => Local(phrase, Tuesday).ShouldBe(expected);

    [Fact]
    public void Next_weekday_said_on_that_weekday_is_a_week_later() =>
        Local("next Friday", "2026-03-06T10:00:00-05:00").ShouldBe("2026-03-13 09:00");

    [Fact]
    public void A_plain_weekday_said_on_that_weekday_is_a_week_later() =>
        Local("Friday", "2026-03-06T10:00:00-05:00").ShouldBe("2026-03-13 09:00");

    [Fact]
    public void Tomorrow_said_on_a_Friday_is_Saturday_because_the_phrase_as_said_wins() =>
        Local("tomorrow", "2026-03-06T16:00:00-05:00").ShouldBe("2026-03-07 09:00");

    [Fact]
    public void The_default_is_the_next_business_day_at_nine()
    {
        Local(null, Tuesday).ShouldBe("2026-03-04 09:00");
        Local("whenever suits", "2026-03-06T16:00:00-05:00").ShouldBe("2026-03-09 09:00");
    }

    [Theory]
    [InlineData("2026-03-07T10:00:00-05:00")]
    [InlineData("2026-03-08T18:00:00-04:00")]
    public void A_weekend_calls_default_is_Monday(string callStartedAt) => Local(null, callStartedAt).ShouldBe("2026-03-09 09:00");

    [Fact]
    public void Tomorrow_at_3_across_the_spring_forward_change_is_3pm_daylight_time()
    {
        var at = DueDates.Resolve("tomorrow at 3", DateTimeOffset.Parse("2026-03-07T10:00:00-05:00", CultureInfo.InvariantCulture), NewYork);

        at.ShouldBe(new DateTimeOffset(2026, 3, 8, 19, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Monday_across_the_autumn_change_in_Berlin_is_nine_local_winter_time()
    {
        var at = DueDates.Resolve("Monday", DateTimeOffset.Parse("2026-10-23T17:30:00+02:00", CultureInfo.InvariantCulture), "Europe/Berlin");

        at.ShouldBe(new DateTimeOffset(2026, 10, 26, 8, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_local_time_skipped_by_the_clock_change_moves_an_hour_later() =>
        Local("tomorrow at 2:30am", "2026-03-07T10:00:00-05:00").ShouldBe("2026-03-08 03:30");

    [Fact]
    public void End_of_the_month_on_a_weekend_is_the_last_business_day_before_it()
    {
        Local("end of the month", "2026-05-18T10:00:00-04:00").ShouldBe("2026-05-29 17:00"); // May 31 is a Sunday
        Local("end of the month", "2026-10-05T10:00:00-04:00").ShouldBe("2026-10-30 17:00"); // October 31 is a Saturday
    }

    [Fact]
    public void End_of_the_month_said_after_its_last_business_day_is_next_months() =>
        Local("end of the month", "2026-10-31T10:00:00-04:00").ShouldBe("2026-11-30 17:00");

    [Fact]
    public void Next_month_starting_on_a_weekend_is_its_first_business_day() =>
        Local("next month", "2026-10-12T10:00:00-04:00").ShouldBe("2026-11-02 09:00"); // November 1 is a Sunday

    [Fact]
    public void An_unknown_zone_is_taken_as_UTC()
    {
        var at = DueDates.Resolve("tomorrow", new DateTimeOffset(2026, 3, 3, 23, 30, 0, TimeSpan.Zero), "Mars/Olympus_Mons");

        at.ShouldBe(new DateTimeOffset(2026, 3, 4, 9, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void The_local_day_comes_from_the_zone_not_from_the_offset_given()
    {
        // 23:30 UTC on Tuesday is already Wednesday morning in Tokyo.
        var at = DueDates.Resolve("tomorrow", new DateTimeOffset(2026, 3, 3, 23, 30, 0, TimeSpan.Zero), "Asia/Tokyo");

        at.ShouldBe(new DateTimeOffset(2026, 3, 5, 0, 0, 0, TimeSpan.Zero));
    }
}
