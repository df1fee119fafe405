using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Calls;
using Switchboard.Platform.Web;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// Dialer sessions (ADR 0017): kept on the server, one open session per agent and queue, shared by the agent's
/// tabs, private to the agent. Most tests get a tenant of their own (<see cref="DialerFloor"/>); the one that dials
/// uses the fixture tenant, whose provider is a local fake Twilio.
/// </summary>
public sealed class DialerSessionTests(CallingHost host) : IClassFixture<CallingHost>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<Guid> OpenAsync(HttpClient client, Guid queue, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsync($"/api/v1/dialer/queues/{queue}/session", null);
        response.StatusCode.ShouldBe(expected);
        return (await Json(response)).GetProperty("id").GetGuid();
    }

    private static async Task<Guid?> TurnAsync(HttpClient client, Guid session)
    {
        var response = await client.PostAsync($"/api/v1/dialer/sessions/{session}/turn", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var lead = (await Json(response)).GetProperty("leadId");
        return lead.ValueKind == JsonValueKind.Null ? null : lead.GetGuid();
    }

    [Fact]
    public async Task Opening_a_queue_again_resumes_its_open_session()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));

        var started = await OpenAsync(agent, queue);
        var resumed = await OpenAsync(agent, queue, HttpStatusCode.OK);

        resumed.ShouldBe(started);
        var open = await agent.GetFromJsonAsync<JsonElement>("/api/v1/dialer/sessions");
        open.EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ShouldBe([started]);
    }

    [Fact]
    public async Task The_dialer_page_keeps_only_the_session_id_in_its_url()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("Ada");
        var queue = await floor.QueueAsync();
        using var tab = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));

        var url = await tab.StartAsync(queue);
        await tab.PostAsync("Skip", new() { ["leadId"] = tab.Lead!.Value.ToString() });

        url.ShouldMatch("^/dialer\\?session=[0-9a-f-]{36}$");
        tab.Html.ShouldNotContain("handled=");
        tab.Html.ShouldContain("data-testid=\"queue-empty\"");
    }

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
        var queue = (await Json(created)).GetProperty("id").GetGuid();
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

        var first = await TurnAsync(agent, await OpenAsync(agent, morning));
        var second = await TurnAsync(agent, await OpenAsync(agent, everyone));

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

        var first = await TurnAsync(manager, await OpenAsync(manager, managersQueue));
        var second = await TurnAsync(admin, await OpenAsync(admin, adminsQueue));

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
    public async Task A_skipped_lead_is_not_served_again_when_the_session_is_resumed()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("Ada");
        await floor.LeadAsync("Boris");
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        var session = await OpenAsync(agent, queue);
        var skipped = (await TurnAsync(agent, session))!.Value;
        (await agent.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/skip", new { leadId = skipped })).EnsureSuccessStatusCode();

        var resumed = await OpenAsync(agent, queue, HttpStatusCode.OK);
        var served = new List<Guid?> { await TurnAsync(agent, resumed) };
        (await agent.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/skip", new { leadId = served[0] })).EnsureSuccessStatusCode();
        served.Add(await TurnAsync(agent, resumed));

        resumed.ShouldBe(session);
        served[0].ShouldNotBeNull();
        served[0].ShouldNotBe(skipped);
        served[1].ShouldBeNull();
    }

    [Fact]
    public async Task A_skip_of_a_lead_that_is_not_the_sessions_current_lead_is_a_409()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var ada = await floor.LeadAsync("Ada");
        var boris = await floor.LeadAsync("Boris");
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        var session = await OpenAsync(agent, queue);
        var current = await TurnAsync(agent, session);
        var other = current == ada ? boris : ada;

        var response = await agent.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/skip", new { leadId = other });

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await TurnAsync(agent, session)).ShouldBe(current);
    }

    [Fact]
    public async Task An_outcome_recorded_through_the_calls_api_moves_the_session_on_to_the_next_lead()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("Ada");
        await floor.LeadAsync("Boris");
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        var session = await OpenAsync(agent, queue);
        var called = (await TurnAsync(agent, session))!.Value;
        var call = await floor.CallWithoutOutcomeAsync(called, ago: TimeSpan.Zero);
        var duringWrapUp = await TurnAsync(agent, session);

        (await agent.PostAsJsonAsync($"/api/v1/calls/{call}/disposition", new { disposition = "interested" })).EnsureSuccessStatusCode();
        var next = await TurnAsync(agent, session);

        duringWrapUp.ShouldBe(called);
        next.ShouldNotBeNull();
        next.ShouldNotBe(called);
        var stats = (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/dialer/sessions/{session}")).GetProperty("stats");
        stats.GetProperty("outcomes").GetInt32().ShouldBe(1);
        stats.GetProperty("connected").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Another_agents_session_is_not_found_through_the_api_or_the_page()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var lead = await floor.LeadAsync("Ada");
        var queue = await floor.QueueAsync();
        using var owner = await host.LoginAsync(floor.Tenant.Email("agent"));
        var session = await OpenAsync(owner, queue);
        await TurnAsync(owner, session);

        foreach (var role in new[] { "agent2", "admin" })
        {
            using var other = await host.LoginAsync(floor.Tenant.Email(role));
            (await other.GetAsync($"/api/v1/dialer/sessions/{session}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, role);
            (await other.PostAsync($"/api/v1/dialer/sessions/{session}/turn", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound, role);
            (await other.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/skip", new { leadId = lead })).StatusCode.ShouldBe(HttpStatusCode.NotFound, role);
            (await other.PostAsync($"/api/v1/dialer/sessions/{session}/end", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound, role);
            (await other.PostAsync($"/api/v1/dialer/queues/{queue}/session", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound, role);
        }
        using var tab = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent2"));
        (await tab.GoAsync($"/dialer?session={session}")).ShouldBe(HttpStatusCode.NotFound);
        var intact = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/dialer/sessions/{session}");
        intact.GetProperty("endedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        intact.GetProperty("currentLeadId").GetGuid().ShouldBe(lead);
    }

    [Fact]
    public async Task Another_tenants_session_is_not_found()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var queue = await floor.QueueAsync();
        using var owner = await host.LoginAsync(floor.Tenant.Email("agent"));
        var session = await OpenAsync(owner, queue);
        var outsider = await host.As("agent");

        (await outsider.GetAsync($"/api/v1/dialer/sessions/{session}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.PostAsync($"/api/v1/dialer/sessions/{session}/end", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await owner.GetFromJsonAsync<JsonElement>($"/api/v1/dialer/sessions/{session}")).GetProperty("endedAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task An_ended_session_is_shown_as_ended_and_opening_its_queue_starts_a_new_one()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("Ada");
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        var session = await OpenAsync(agent, queue);

        var ended = await agent.PostAsync($"/api/v1/dialer/sessions/{session}/end", null);
        var next = await OpenAsync(agent, queue);

        ended.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Json(ended)).GetProperty("endedAt").ValueKind.ShouldBe(JsonValueKind.String);
        next.ShouldNotBe(session);
        using var tab = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));
        (await tab.GoAsync($"/dialer?session={session}")).ShouldBe(HttpStatusCode.OK);
        tab.Html.ShouldContain("data-testid=\"session-ended\"");
        tab.Lead.ShouldBeNull();
    }

    [Fact]
    public async Task A_session_idle_longer_than_the_idle_limit_is_ended_and_a_new_one_starts()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var queue = await floor.QueueAsync();
        async Task<OpenedDialerSession> Open() =>
            await floor.AsAsync("agent", async s => ((Outcome<OpenedDialerSession>.Ok)await s.Sessions.OpenAsync(queue, default)).Value);
        var first = await Open();
        floor.Clock.Advance(DialerSessions.IdleLimit - TimeSpan.FromMinutes(1));
        var resumed = await Open();

        floor.Clock.Advance(DialerSessions.IdleLimit);
        var fresh = await Open();

        resumed.Resumed.ShouldBeTrue();
        resumed.Session.Id.ShouldBe(first.Session.Id);
        fresh.Resumed.ShouldBeFalse();
        fresh.Session.Id.ShouldNotBe(first.Session.Id);
        fresh.Session.StartedAt.ShouldBe(floor.Clock.GetUtcNow());
        var old = await floor.AsAsync("agent", s => s.Sessions.FindOwnAsync(first.Session.Id, default));
        old!.EndedAt.ShouldBe(resumed.Session.LastActiveAt);
    }

    [Fact]
    public async Task The_session_counts_calls_connected_calls_outcomes_and_skips_once_per_lead()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var answered = await floor.LeadAsync("Answered");
        var unanswered = await floor.LeadAsync("Unanswered");
        var skipped = await floor.LeadAsync("Skipped");
        var queue = await floor.QueueAsync();

        var stats = await floor.AsAsync("agent", async s =>
        {
            var opened = (Outcome<OpenedDialerSession>.Ok)await s.Sessions.OpenAsync(queue, default);
            var session = (await s.Sessions.FindOwnAsync(opened.Value.Session.Id, default))!;
            await s.Sessions.CountCallAsync(session, default);
            await s.Sessions.CountCallAsync(session, default);
            (await s.Sessions.RecordOutcomeAsync(session, answered, connected: true, default)).ShouldBeTrue();
            (await s.Sessions.RecordOutcomeAsync(session, answered, connected: true, default)).ShouldBeFalse();
            (await s.Sessions.RecordOutcomeAsync(session, unanswered, connected: false, default)).ShouldBeTrue();
            var filter = (await s.Queues.FindOwnAsync(queue, default))!.Filter;
            (await s.Sessions.TurnAsync(session, filter, default)).LeadId.ShouldBe(skipped);
            (await s.Sessions.SkipAsync(session, skipped, default)).ShouldBeTrue();
            (await s.Sessions.SkipAsync(session, skipped, default)).ShouldBeFalse();
            return DialerSessionDto.Of((await s.Sessions.FindOwnAsync(session.Id, default))!).Stats;
        });

        stats.ShouldBe(new DialerSessionStats(Calls: 2, Connected: 1, Outcomes: 2, Skipped: 1));
    }

    [Fact]
    public async Task An_outcome_with_a_callback_at_nine_the_day_after_the_clocks_change_is_stored_at_the_leads_summer_offset()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var lead = await floor.LeadAsync("Berliner", timeZone: "Europe/Berlin");
        var queue = await floor.QueueAsync();
        var call = await floor.CallWithoutOutcomeAsync(lead, ago: TimeSpan.FromMinutes(1));
        using var tab = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));
        await tab.StartAsync(queue);

        var saved = await tab.PostAsync("Disposition", new()
        {
            ["Outcome.CallId"] = call.ToString(), ["Outcome.Disposition"] = "callback", ["Outcome.CallbackAt"] = "2027-03-29T09:00",
        });

        saved.StatusCode.ShouldBe(HttpStatusCode.OK);
        tab.Html.ShouldContain("data-testid=\"dialer-saved\"");
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        var stored = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead}");
        stored.GetProperty("callbackAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2027, 3, 29, 7, 0, 0, TimeSpan.Zero));
        var sessions = await agent.GetFromJsonAsync<JsonElement>("/api/v1/dialer/sessions");
        sessions[0].GetProperty("stats").GetProperty("outcomes").GetInt32().ShouldBe(1);
        sessions[0].GetProperty("stats").GetProperty("connected").GetInt32().ShouldBe(1);
    }
}
