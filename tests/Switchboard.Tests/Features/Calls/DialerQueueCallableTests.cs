using Switchboard.Features.Dialer;
using Switchboard.Features.Leads;
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
}
