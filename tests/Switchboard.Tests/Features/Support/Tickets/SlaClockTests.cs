using Switchboard.Features.Support.Tickets;
using Switchboard.Features.Support.Triage;

namespace Switchboard.Tests.Features.Support.Tickets;

/// <summary>SLA due times in business hours (Mon–Fri 09:00–17:00 in the tenant's zone, holidays skipped) or around the clock, and breaches.</summary>
public sealed class SlaClockTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly IReadOnlySet<DateOnly> NoHolidays = new HashSet<DateOnly>();

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) =>
        new(new DateTime(year, month, day, hour, minute, 0), NewYork.GetUtcOffset(new DateTime(year, month, day, hour, minute, 0)));

    [Fact]
    public void Business_hours_skip_the_evening_and_the_weekend()
    {
        // Friday 4 December 2026, 15:00 in New York: 2 hours left on Friday, the other 2 on Monday morning.
        var due = SlaClock.Add(Local(2026, 12, 4, 15), 4, businessHours: true, NewYork, NoHolidays);

        due.ShouldBe(Local(2026, 12, 7, 11));
    }

    [Fact]
    public void Mail_arriving_on_a_weekend_counts_from_Monday_morning()
    {
        SlaClock.Add(Local(2026, 12, 5, 22), 8, businessHours: true, NewYork, NoHolidays).ShouldBe(Local(2026, 12, 7, 17));
        SlaClock.Add(Local(2026, 12, 5, 22), 9, businessHours: true, NewYork, NoHolidays).ShouldBe(Local(2026, 12, 8, 10));
    }

    [Fact]
    public void A_tenant_holiday_is_not_a_working_day_for_the_clock()
    {
        // Thursday 24 December 2026, 15:00: 2 hours that day; Friday the 25th is the tenant's holiday; Monday 11:00.
        var christmas = new HashSet<DateOnly> { new(2026, 12, 25) };

        SlaClock.Add(Local(2026, 12, 24, 15), 4, businessHours: true, NewYork, christmas).ShouldBe(Local(2026, 12, 28, 11));
        SlaClock.Add(Local(2026, 12, 24, 15), 4, businessHours: true, NewYork, NoHolidays).ShouldBe(Local(2026, 12, 25, 11));
    }

    [Fact]
    public void Business_hours_count_local_working_hours_across_a_DST_change()
    {
        // Friday 6 March 2026 16:00 EST; the clocks go forward on Sunday 8 March; Monday 09:00 is EDT.
        var due = SlaClock.Add(Local(2026, 3, 6, 16), 2, businessHours: true, NewYork, NoHolidays);

        due.ShouldBe(Local(2026, 3, 9, 10));
        due.Offset.ShouldBe(TimeSpan.Zero);
        TimeZoneInfo.ConvertTime(due, NewYork).Hour.ShouldBe(10);
    }

    [Fact]
    public void A_target_around_the_clock_counts_every_hour()
    {
        SlaClock.Add(Local(2026, 12, 4, 15), 4, businessHours: false, NewYork, NoHolidays).ShouldBe(Local(2026, 12, 4, 19));
        var (first, resolution) = SlaClock.DueTimes(Local(2026, 12, 4, 15), new SlaTarget(1, 8, false), NewYork, NoHolidays);
        first.ShouldBe(Local(2026, 12, 4, 16));
        resolution.ShouldBe(Local(2026, 12, 4, 23));
    }

    [Fact]
    public void A_ticket_is_breached_when_a_due_time_passed_unmet_or_was_met_late()
    {
        var created = Local(2026, 12, 4, 10);
        var ticket = new Ticket
        {
            Subject = "s", RequesterAddress = "a@b.test", Priority = "high", Category = "other", Sentiment = "neutral", TriageEngine = "rules",
            CreatedAt = created, FirstResponseDueAt = created.AddHours(4), ResolutionDueAt = created.AddHours(24),
        };

        TicketMapping.Sla(ticket, created.AddHours(3)).FirstResponseBreached.ShouldBeFalse();
        TicketMapping.Sla(ticket, created.AddHours(5)).FirstResponseBreached.ShouldBeTrue();
        ticket.FirstRespondedAt = created.AddHours(2);
        TicketMapping.Sla(ticket, created.AddHours(5)).FirstResponseBreached.ShouldBeFalse();
        ticket.FirstRespondedAt = created.AddHours(4.5);
        TicketMapping.Sla(ticket, created.AddHours(5)).FirstResponseBreached.ShouldBeTrue();
        TicketMapping.Sla(ticket, created.AddHours(25)).ResolutionBreached.ShouldBeTrue();
    }

    [Fact]
    public void The_list_says_how_long_until_due_or_since_breached()
    {
        var now = Local(2026, 12, 4, 10);
        SlaClock.Describe(now.AddHours(2), now).ShouldBe("due in 2h");
        SlaClock.Describe(now.AddMinutes(-30), now).ShouldBe("breached 30m ago");
        SlaClock.Describe(now.AddHours(26), now).ShouldBe("due in 1d 2h");
        SlaClock.Describe(now.AddMinutes(90), now).ShouldBe("due in 1h 30m");
    }
}
