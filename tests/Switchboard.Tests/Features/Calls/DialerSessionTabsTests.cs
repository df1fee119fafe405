using Switchboard.Features.Dialer;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Calls;
using Switchboard.Platform.Web;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// Two tabs of one agent, and sessions on queues that share leads (ADR 0017): one session and one current lead per
/// agent and queue, an action from a tab that missed the other tab's move is not applied, and a lead on screen in
/// one session is not served to another while that session is active. The dialing test uses the fixture tenant,
/// whose provider is a local fake Twilio; the others get a tenant of their own.
/// </summary>
public sealed class DialerSessionTabsTests(CallingHost host) : IClassFixture<CallingHost>
{
    [Fact]
    public async Task A_second_tab_joins_the_open_session_and_shows_the_same_lead()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("Ada");
        await floor.LeadAsync("Boris");
        var queue = await floor.QueueAsync();
        using var first = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));
        using var second = first.NewTab();

        var firstUrl = await first.StartAsync(queue);
        var secondUrl = await second.StartAsync(queue);

        secondUrl.ShouldBe(firstUrl);
        second.Lead.ShouldNotBeNull();
        second.Lead.ShouldBe(first.Lead);
    }

    [Fact]
    public async Task A_skip_from_a_tab_that_missed_the_other_tabs_skip_skips_nothing_more()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("Ada");
        await floor.LeadAsync("Boris");
        await floor.LeadAsync("Clara");
        var queue = await floor.QueueAsync();
        using var first = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));
        using var second = first.NewTab();
        await first.StartAsync(queue);
        await second.StartAsync(queue);
        var shownInBoth = first.Lead!.Value;

        (await first.PostAsync("Skip", new() { ["leadId"] = shownInBoth.ToString() })).EnsureSuccessStatusCode();
        (await second.PostAsync("Skip", new() { ["leadId"] = shownInBoth.ToString() })).EnsureSuccessStatusCode();

        second.Lead.ShouldBe(first.Lead);
        second.Lead.ShouldNotBe(shownInBoth);
        second.Html.ShouldContain("data-testid=\"dialer-notice\"");
        second.Html.ShouldContain("2 left");
    }

    [Fact]
    public async Task A_tab_that_missed_the_other_tabs_skip_cannot_dial_the_lead_it_still_shows()
    {
        var skipped = await host.LeadAsync("agent2", "(212) 555-0161");
        var next = await host.LeadAsync("agent2", "(212) 555-0162");
        using var agent2 = await host.LoginAsync(host.Tenant.Email("agent2"));
        var created = await agent2.PostAsJsonAsync("/api/v1/dialer/queues", new { name = "Stale tabs" });
        var queue = (await DialerApi.Json(created)).GetProperty("id").GetGuid();
        using var first = await DialerTab.SignInAsync(host, host.Tenant.Email("agent2"));
        using var stale = first.NewTab();
        await first.StartAsync(queue);
        await stale.StartAsync(queue);
        first.Lead.ShouldBe(skipped);
        await first.PostAsync("Skip", new() { ["leadId"] = skipped.ToString() });

        (await stale.PostAsync("Dial", new() { ["leadId"] = skipped.ToString() })).EnsureSuccessStatusCode();
        var refused = stale.Html;
        (await stale.PostAsync("Dial", new() { ["leadId"] = next.ToString() })).EnsureSuccessStatusCode();

        refused.ShouldContain("data-testid=\"dialer-notice\"");
        (await agent2.GetFromJsonAsync<JsonElement>($"/api/v1/calls?leadId={skipped}")).GetProperty("total").GetInt32().ShouldBe(0);
        (await agent2.GetFromJsonAsync<JsonElement>($"/api/v1/calls?leadId={next}")).GetProperty("total").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Sessions_on_two_queues_are_never_served_the_same_lead_at_once()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("Ada");
        await floor.LeadAsync("Boris");
        var morning = await floor.QueueAsync("agent", "Morning");
        var everyone = await floor.QueueAsync("agent", "Everyone again");
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));

        var first = await DialerApi.TurnAsync(agent, await DialerApi.OpenAsync(agent, morning));
        var second = await DialerApi.TurnAsync(agent, await DialerApi.OpenAsync(agent, everyone));

        first.ShouldNotBeNull();
        second.ShouldNotBeNull();
        second.ShouldNotBe(first);
    }

    [Fact]
    public async Task Two_managers_sessions_on_all_leads_are_never_served_the_same_lead_at_once()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("Ada");
        await floor.LeadAsync("Boris", owner: "agent2");
        var managersQueue = await floor.QueueAsync("manager", "All leads");
        var adminsQueue = await floor.QueueAsync("admin", "All leads");
        using var manager = await host.LoginAsync(floor.Tenant.Email("manager"));
        using var admin = await host.LoginAsync(floor.Tenant.Email("admin"));

        var first = await DialerApi.TurnAsync(manager, await DialerApi.OpenAsync(manager, managersQueue));
        var second = await DialerApi.TurnAsync(admin, await DialerApi.OpenAsync(admin, adminsQueue));

        first.ShouldNotBeNull();
        second.ShouldNotBeNull();
        second.ShouldNotBe(first);
    }

    [Fact]
    public async Task A_lead_on_screen_in_a_session_idle_for_longer_than_the_hold_is_served_to_another_session()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var only = await floor.LeadAsync("Only one");
        var morning = await floor.QueueAsync("agent", "Morning");
        var afternoon = await floor.QueueAsync("agent", "Afternoon");
        async Task<Guid?> TurnInProcessAsync(Guid queue) => await floor.AsAsync("agent", async s =>
        {
            var opened = (Outcome<OpenedDialerSession>.Ok)await s.Sessions.OpenAsync(queue, default);
            var session = (await s.Sessions.FindOwnAsync(opened.Value.Session.Id, default))!;
            return (await s.Sessions.TurnAsync(session, (await s.Queues.FindOwnAsync(queue, default))!.Filter, default)).LeadId;
        });
        (await TurnInProcessAsync(morning)).ShouldBe(only);

        var whileHeld = await TurnInProcessAsync(afternoon);
        floor.Clock.Advance(DialerSessions.HoldFor);
        var afterHold = await TurnInProcessAsync(afternoon);

        whileHeld.ShouldBeNull();
        afterHold.ShouldBe(only);
    }

    [Fact]
    public async Task A_skip_of_a_lead_that_is_not_the_sessions_current_lead_is_a_409()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var ada = await floor.LeadAsync("Ada");
        var boris = await floor.LeadAsync("Boris");
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        var session = await DialerApi.OpenAsync(agent, queue);
        var current = await DialerApi.TurnAsync(agent, session);
        var other = current == ada ? boris : ada;

        var response = await agent.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/skip", new { leadId = other });

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await DialerApi.TurnAsync(agent, session)).ShouldBe(current);
    }
}
