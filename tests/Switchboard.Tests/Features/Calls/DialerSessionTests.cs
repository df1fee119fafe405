using Switchboard.Features.Dialer;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Calls;
using Switchboard.Platform.Web;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// Dialer sessions (ADR 0017) through the API and the page: kept on the server, resumed, ended, private to their
/// agent, counting what happened. Each test gets a tenant of its own (<see cref="DialerFloor"/>). Two tabs:
/// <see cref="DialerSessionTabsTests"/>.
/// </summary>
public sealed class DialerSessionTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task Opening_a_queue_again_resumes_its_open_session()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));

        var started = await DialerApi.OpenAsync(agent, queue);
        var resumed = await DialerApi.OpenAsync(agent, queue, HttpStatusCode.OK);

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
    public async Task With_nothing_callable_now_the_turn_api_and_the_page_say_what_was_skipped_and_when_the_next_lead_opens()
    {
        var floor = await DialerFloor.CreateAsync(host, allDay: false);
        var zone = CallingZones.WhereItIs(3, DateTimeOffset.UtcNow);
        await floor.LeadAsync("Asleep", timeZone: zone);
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        using var tab = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));

        var session = await DialerApi.OpenAsync(agent, queue);
        var turn = await DialerApi.Json(await agent.PostAsync($"/api/v1/dialer/sessions/{session}/turn", null));
        await tab.StartAsync(queue);

        turn.GetProperty("leadId").ValueKind.ShouldBe(JsonValueKind.Null);
        turn.GetProperty("remaining").GetInt32().ShouldBe(1);
        turn.GetProperty("skipped").GetProperty("callingHours").GetInt32().ShouldBe(1);
        var next = turn.GetProperty("nextCallable");
        next.GetProperty("timeZone").GetString().ShouldBe(zone);
        next.GetProperty("localTime").GetString().ShouldBe("08:00");
        next.GetProperty("message").GetString()!.ShouldMatch($"^Next callable lead at 08:00 their time \\({zone.Replace("+", "\\+")}\\), in [45] h [0-9]+ min\\.$");
        var page = WebUtility.HtmlDecode(tab.Html);
        page.ShouldContain("Nothing callable now");
        page.ShouldContain("Skipped now: 1 lead (1 outside their calling hours).");
        page.ShouldContain($"Next callable lead at 08:00 their time ({zone})");
        page.ShouldNotContain("data-testid=\"dial\"");
    }

    [Fact]
    public async Task A_lead_the_guard_blocks_at_dial_time_is_passed_over_with_a_notice_saying_why()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var listedLater = await floor.LeadAsync("Listed after it was served", phone: "(212) 555-0178");
        var other = await floor.LeadAsync("Callable");
        var queue = await floor.QueueAsync();
        using var tab = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));
        await tab.StartAsync(queue);
        tab.Lead.ShouldBe(listedLater);

        await floor.ListDncAsync("(212) 555-0178");
        var response = await tab.PostAsync("Dial", new() { ["leadId"] = listedLater.ToString() });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        tab.Lead.ShouldBe(other);
        WebUtility.HtmlDecode(tab.Html).ShouldContain("The call was not placed (dnc): +12125550178 is on the do-not-call list. The queue moved on.");
        tab.Html.ShouldContain("data-testid=\"dial\"");
    }

    [Fact]
    public async Task A_skipped_lead_is_not_served_again_when_the_session_is_resumed()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("Ada");
        await floor.LeadAsync("Boris");
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        var session = await DialerApi.OpenAsync(agent, queue);
        var skipped = (await DialerApi.TurnAsync(agent, session))!.Value;
        (await agent.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/skip", new { leadId = skipped })).EnsureSuccessStatusCode();

        var resumed = await DialerApi.OpenAsync(agent, queue, HttpStatusCode.OK);
        var served = new List<Guid?> { await DialerApi.TurnAsync(agent, resumed) };
        (await agent.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/skip", new { leadId = served[0] })).EnsureSuccessStatusCode();
        served.Add(await DialerApi.TurnAsync(agent, resumed));

        resumed.ShouldBe(session);
        served[0].ShouldNotBeNull();
        served[0].ShouldNotBe(skipped);
        served[1].ShouldBeNull();
    }

    [Fact]
    public async Task An_outcome_recorded_through_the_calls_api_moves_the_session_on_to_the_next_lead()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("Ada");
        await floor.LeadAsync("Boris");
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        var session = await DialerApi.OpenAsync(agent, queue);
        var called = (await DialerApi.TurnAsync(agent, session))!.Value;
        var call = await floor.CallWithoutOutcomeAsync(called, ago: TimeSpan.Zero);
        var duringWrapUp = await DialerApi.TurnAsync(agent, session);

        (await agent.PostAsJsonAsync($"/api/v1/calls/{call}/disposition", new { disposition = "interested" })).EnsureSuccessStatusCode();
        var next = await DialerApi.TurnAsync(agent, session);

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
        var session = await DialerApi.OpenAsync(owner, queue);
        await DialerApi.TurnAsync(owner, session);

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
        var session = await DialerApi.OpenAsync(owner, queue);
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
        var session = await DialerApi.OpenAsync(agent, queue);

        var ended = await agent.PostAsync($"/api/v1/dialer/sessions/{session}/end", null);
        var next = await DialerApi.OpenAsync(agent, queue);

        ended.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DialerApi.Json(ended)).GetProperty("endedAt").ValueKind.ShouldBe(JsonValueKind.String);
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
            (await s.Sessions.RecordOutcomeAsync(session, DialTarget.Lead(answered), connected: true, default)).ShouldBeTrue();
            (await s.Sessions.RecordOutcomeAsync(session, DialTarget.Lead(answered), connected: true, default)).ShouldBeFalse();
            (await s.Sessions.RecordOutcomeAsync(session, DialTarget.Lead(unanswered), connected: false, default)).ShouldBeTrue();
            var filter = (await s.Queues.FindOwnAsync(queue, default))!.Filter;
            (await s.Sessions.TurnAsync(session, filter, default)).LeadId.ShouldBe(skipped);
            (await s.Sessions.SkipAsync(session, DialTarget.Lead(skipped), default)).ShouldBeTrue();
            (await s.Sessions.SkipAsync(session, DialTarget.Lead(skipped), default)).ShouldBeFalse();
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
