using Switchboard.Features.Dialer;
using Switchboard.Features.Leads;
using System.Globalization;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// A queue serves only leads the compliance guard would let the agent call now (calling hours in the lead's time, the
/// do-not-call list, attempts per day) and only while they still match its filter; run in process on a fake clock.
/// </summary>
public sealed class DialerQueueCallableTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    /// <summary>Tuesday 15 January 2030, 14:00 UTC: 09:00 in New York, 23:00 in Tokyo.</summary>
    private static readonly DateTimeOffset NineInNewYork = new(2030, 1, 15, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_lead_outside_its_calling_hours_now_is_skipped_and_served_once_its_hours_open()
    {
        var floor = await DialerFloor.CreateAsync(host, allDay: false);
        floor.Clock.SetUtcNow(NineInNewYork);
        var tokyoByZone = await floor.LeadAsync("Tokyo by zone", timeZone: "Asia/Tokyo");
        var tokyoByNumber = await floor.LeadAsync("Tokyo by number", phone: "+81 3-1234-5678");
        var newYork = await floor.LeadAsync("New York");

        var now = await floor.ServeAllAsync(await floor.QueueAsync("agent", "Now"));
        floor.Clock.SetUtcNow(NineInNewYork.AddHours(9));
        var later = await floor.ServeAllAsync(await floor.QueueAsync("agent", "At eight in Tokyo"));

        now.ShouldBe([newYork]);
        later.ShouldBe([tokyoByZone, tokyoByNumber, newYork]);
    }

    [Fact]
    public async Task A_lead_whose_number_is_on_the_do_not_call_list_is_skipped()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("Listed", phone: "(212) 555-0177");
        var other = await floor.LeadAsync("Not listed");
        await floor.ListDncAsync("(212) 555-0177");

        var served = await floor.ServeAllAsync(await floor.QueueAsync());

        served.ShouldBe([other]);
    }

    [Fact]
    public async Task A_lead_called_as_often_as_the_daily_limit_allows_is_skipped_until_the_tenants_next_day()
    {
        var floor = await DialerFloor.CreateAsync(host);
        floor.Clock.SetUtcNow(NineInNewYork);
        var exhausted = await floor.LeadAsync("Called three times");
        var other = await floor.LeadAsync("Not called");
        await floor.CallsWithOutcomeAsync(exhausted, 3, ago: TimeSpan.FromHours(1));

        var today = await floor.ServeAllAsync(await floor.QueueAsync("agent", "Today"));
        floor.Clock.SetUtcNow(NineInNewYork.AddDays(1));
        var tomorrow = await floor.ServeAllAsync(await floor.QueueAsync("agent", "Tomorrow"));

        today.ShouldBe([other]);
        tomorrow.ShouldBe([exhausted, other]);
    }

    [Fact]
    public async Task A_lead_whose_status_changed_after_it_was_served_is_skipped_by_its_session()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var first = await floor.LeadAsync("First");
        var second = await floor.LeadAsync("Second");
        var queue = await floor.QueueAsync("agent", "New leads", statuses: ["new"]);
        (await floor.TurnAsync(queue)).LeadId.ShouldBe(first);

        await floor.SetStatusAsync(first, LeadStatus.Qualified);
        var rest = await floor.ServeAllAsync(queue);

        rest.ShouldBe([second]);
    }

    [Theory]
    [InlineData("(212) 555-0150", "2030-03-10T06:30:00Z", "2030-03-10T12:00:00Z", "America/New_York", "5 h 30 min")]
    [InlineData("(212) 555-0150", "2030-11-03T05:30:00Z", "2030-11-03T13:00:00Z", "America/New_York", "7 h 30 min")]
    [InlineData("(312) 555-0150", "2030-01-16T05:27:00Z", "2030-01-16T14:00:00Z", "America/Chicago", "8 h 33 min")]
    public async Task With_nothing_callable_the_turn_says_when_the_next_lead_may_be_called_on_its_wall_clock(
        string phone, string now, string next, string zone, string wait)
    {
        var floor = await DialerFloor.CreateAsync(host, allDay: false);
        floor.Clock.SetUtcNow(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture));
        await floor.LeadAsync("Asleep", phone: phone);

        var turn = await floor.TurnAsync(await floor.QueueAsync());

        turn.LeadId.ShouldBeNull();
        turn.Skipped.ShouldBe(new DialerSkips(CallingHours: 1, Dnc: 0, MaxAttempts: 0));
        turn.Next.ShouldBe(new NextCallable(
            DateTimeOffset.Parse(next, CultureInfo.InvariantCulture), zone, "08:00", $"Next callable lead at 08:00 their time ({zone}), in {wait}."));
    }

    [Fact]
    public async Task The_turn_counts_the_leads_it_passes_over_by_reason_and_names_the_first_to_open()
    {
        var floor = await DialerFloor.CreateAsync(host, allDay: false);
        floor.Clock.SetUtcNow(NineInNewYork);
        await floor.LeadAsync("Tokyo", timeZone: "Asia/Tokyo");
        await floor.LeadAsync("Listed", phone: "(212) 555-0177");
        var exhausted = await floor.LeadAsync("Called three times");
        await floor.ListDncAsync("(212) 555-0177");
        await floor.CallsWithOutcomeAsync(exhausted, 3, ago: TimeSpan.FromHours(1));

        var turn = await floor.TurnAsync(await floor.QueueAsync());

        turn.LeadId.ShouldBeNull();
        turn.Remaining.ShouldBe(3);
        turn.Skipped.ShouldBe(new DialerSkips(CallingHours: 1, Dnc: 1, MaxAttempts: 1));
        turn.Next!.At.ShouldBe(new DateTimeOffset(2030, 1, 15, 23, 0, 0, TimeSpan.Zero));
        turn.Next.Message.ShouldBe("Next callable lead at 08:00 their time (Asia/Tokyo), in 9 h 0 min.");
    }

    [Fact]
    public async Task The_sessions_current_lead_is_passed_over_once_its_calling_hours_close()
    {
        var floor = await DialerFloor.CreateAsync(host, allDay: false);
        floor.Clock.SetUtcNow(new DateTimeOffset(2030, 1, 16, 1, 50, 0, TimeSpan.Zero));
        var newYork = await floor.LeadAsync("New York");
        var losAngeles = await floor.LeadAsync("Los Angeles", phone: "(415) 555-0150");
        var queue = await floor.QueueAsync();
        (await floor.TurnAsync(queue)).LeadId.ShouldBe(newYork);

        floor.Clock.Advance(TimeSpan.FromMinutes(10));
        var turn = await floor.TurnAsync(queue);

        turn.LeadId.ShouldBe(losAngeles);
        turn.Skipped.CallingHours.ShouldBe(1);
    }
}
