using Switchboard.Features.Dialer;
using Switchboard.Features.Calls;
using Switchboard.Platform.Web;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// The order a dialer session serves a queue in, run in process on a fake clock: due callbacks first, a call
/// without an outcome before anything else (the wrap-up guard), and callback times read on the lead's wall clock.
/// </summary>
public sealed class DialerQueueRulesTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task Due_callbacks_come_first_earliest_first_then_never_called_leads_then_the_least_recently_called()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var now = floor.Clock.GetUtcNow();
        var calledLongAgo = await floor.LeadAsync("Called long ago");
        var calledYesterday = await floor.LeadAsync("Called yesterday");
        var neverCalled = await floor.LeadAsync("Never called");
        var dueLately = await floor.LeadAsync("Due lately");
        var dueEarlier = await floor.LeadAsync("Due earlier");
        await floor.SetCallHistoryAsync(calledLongAgo, lastCalledAt: now.AddDays(-7));
        await floor.SetCallHistoryAsync(calledYesterday, lastCalledAt: now.AddDays(-1));
        await floor.SetCallHistoryAsync(dueLately, lastCalledAt: now.AddHours(-1), callbackAt: now.AddMinutes(-5));
        await floor.SetCallHistoryAsync(dueEarlier, lastCalledAt: now.AddHours(-1), callbackAt: now.AddHours(-2));
        var queue = await floor.QueueAsync();

        var served = await floor.ServeAllAsync(queue);

        served.ShouldBe([dueEarlier, dueLately, neverCalled, calledLongAgo, calledYesterday]);
    }

    [Fact]
    public async Task A_callback_still_in_the_future_keeps_its_lead_out_of_the_queue_until_it_is_due()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var waiting = await floor.LeadAsync("Call me at three");
        var other = await floor.LeadAsync("Any time");
        await floor.SetCallHistoryAsync(waiting, lastCalledAt: floor.Clock.GetUtcNow().AddHours(-1), callbackAt: floor.Clock.GetUtcNow().AddHours(2));
        var queue = await floor.QueueAsync("agent", "Before");
        var later = await floor.QueueAsync("agent", "After");

        var before = await floor.ServeAllAsync(queue);
        floor.Clock.Advance(TimeSpan.FromHours(2));
        var after = await floor.ServeAllAsync(later);

        before.ShouldBe([other]);
        after.ShouldBe([waiting, other]);
    }

    [Fact]
    public async Task A_call_still_waiting_for_its_outcome_is_served_before_the_sessions_current_lead()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("First in line");
        var called = await floor.LeadAsync("Called from its page");
        await floor.SetCallHistoryAsync(called, lastCalledAt: floor.Clock.GetUtcNow().AddDays(-1));
        var queue = await floor.QueueAsync();
        var call = await floor.CallWithoutOutcomeAsync(called, ago: TimeSpan.FromMinutes(3));

        var turn = await floor.AsAsync("agent", async s =>
        {
            var opened = (Outcome<OpenedDialerSession>.Ok)await s.Sessions.OpenAsync(queue, default);
            var session = (await s.Sessions.FindOwnAsync(opened.Value.Session.Id, default))!;
            return await s.Sessions.TurnAsync(session, (await s.Queues.FindOwnAsync(queue, default))!.Filter, default);
        });

        turn.LeadId.ShouldBe(called);
        turn.PendingCall!.Id.ShouldBe(call);
    }

    [Fact]
    public async Task A_call_without_an_outcome_stops_holding_the_dialer_after_the_pending_window()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var first = await floor.LeadAsync("First in line");
        var called = await floor.LeadAsync("Called last night");
        await floor.SetCallHistoryAsync(called, lastCalledAt: floor.Clock.GetUtcNow().AddDays(-1));
        var queue = await floor.QueueAsync();
        await floor.CallWithoutOutcomeAsync(called, ago: TimeSpan.FromMinutes(3));

        floor.Clock.Advance(DialerQueues.PendingWindow);
        var turn = await floor.AsAsync("agent", async s =>
        {
            var opened = (Outcome<OpenedDialerSession>.Ok)await s.Sessions.OpenAsync(queue, default);
            var session = (await s.Sessions.FindOwnAsync(opened.Value.Session.Id, default))!;
            return await s.Sessions.TurnAsync(session, (await s.Queues.FindOwnAsync(queue, default))!.Filter, default);
        });

        turn.PendingCall.ShouldBeNull();
        turn.LeadId.ShouldBe(first);
    }

    [Fact]
    public async Task Another_agents_call_without_an_outcome_does_not_hold_this_agents_dialer()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var mine = await floor.LeadAsync("Mine");
        var theirs = await floor.LeadAsync("Theirs", owner: "agent2");
        var queue = await floor.QueueAsync();
        await floor.CallWithoutOutcomeAsync(theirs, ago: TimeSpan.FromMinutes(1), role: "agent2");

        var served = await floor.ServeAllAsync(queue);

        served.ShouldBe([mine]);
    }

    [Theory]
    [InlineData("America/New_York", "2027-03-15T09:00", "2027-03-15T13:00:00Z")]
    [InlineData("America/New_York", "2027-03-13T09:00", "2027-03-13T14:00:00Z")]
    [InlineData("America/New_York", "2027-11-08T09:00", "2027-11-08T14:00:00Z")]
    [InlineData("Europe/Berlin", "2027-03-29T09:00", "2027-03-29T07:00:00Z")]
    [InlineData("Europe/Berlin", "2027-11-01T09:00", "2027-11-01T08:00:00Z")]
    [InlineData("Australia/Sydney", "2027-04-05T09:00", "2027-04-04T23:00:00Z")]
    public void A_callback_at_nine_on_the_lead_s_wall_clock_lands_at_that_days_offset(string zone, string local, string utc)
    {
        var instant = Switchboard.Platform.TimeZones.FromLocal(local, TimeZoneInfo.FindSystemTimeZoneById(zone), "callbackAt");

        instant.ShouldBe(new Outcome<DateTimeOffset>.Ok(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_callback_at_a_time_the_clocks_skip_is_refused_naming_the_zone()
    {
        var outcome = Switchboard.Platform.TimeZones.FromLocal("2027-03-14T02:30", TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), "callbackAt");

        var invalid = outcome.ShouldBeOfType<Outcome<DateTimeOffset>.Invalid>();
        invalid.Errors["callbackAt"].ShouldBe(["That time does not exist in America/New_York (the clocks change); pick another."]);
    }

    [Fact]
    public void A_callback_at_a_time_the_clocks_repeat_is_the_later_standard_time_instant()
    {
        var outcome = Switchboard.Platform.TimeZones.FromLocal("2027-11-07T01:30", TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), "callbackAt");

        outcome.ShouldBe(new Outcome<DateTimeOffset>.Ok(new DateTimeOffset(2027, 11, 7, 6, 30, 0, TimeSpan.Zero)));
    }
}
