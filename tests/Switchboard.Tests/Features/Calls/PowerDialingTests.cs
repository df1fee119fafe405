using Switchboard.Features.Dialer;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Calls;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// Power dialing (ADR 0032): the tenant's countdown and the session's override, the countdown armed after an outcome and
/// stopped by a pause, a dial placed once whatever the tabs and clicks, and the session's stats. Dialing tests use the
/// fixture tenant (a local fake Twilio), each with an agent of its own so one test's waiting call does not hold another's
/// dialer; the others get a tenant of their own.
/// </summary>
public sealed class PowerDialingTests(CallingHost host) : IClassFixture<CallingHost>
{
    [Theory]
    [InlineData(-1)]
    [InlineData(61)]
    public async Task A_countdown_outside_0_to_60_seconds_is_refused_with_the_calling_rules_label(int seconds)
    {
        var response = await (await host.As("admin")).PatchAsJsonAsync("/api/v1/calling/settings", new { autoDialSeconds = seconds });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("autoDialSeconds")[0].GetString()
            .ShouldBe("Countdown before the next dial must be between 0 and 60 seconds (0 turns auto-dial off).");
    }

    [Fact]
    public async Task The_countdown_is_five_seconds_until_an_admin_changes_it_and_zero_turns_it_off()
    {
        using var admin = await host.LoginAsync((await host.CreateTenantAsync("autodial")).Email("admin"));
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/calling/settings")).GetProperty("autoDialSeconds").GetInt32().ShouldBe(5);

        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { autoDialSeconds = 0 })).EnsureSuccessStatusCode();

        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/calling/settings")).GetProperty("autoDialSeconds").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task A_session_overrides_the_tenants_countdown_with_a_labelled_message_for_a_wrong_value_and_blank_goes_back_to_the_default()
    {
        var floor = await DialerFloor.CreateAsync(host);
        await floor.LeadAsync("Ada");
        var queue = await floor.QueueAsync();
        using var tab = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        await tab.StartAsync(queue);
        tab.Html.ShouldContain("Countdown: 5 s (team default)");

        await tab.PostAsync("Countdown", new() { ["seconds"] = "61" });
        WebUtility.HtmlDecode(tab.Html).ShouldContain("Countdown for this session must be between 0 and 60 seconds (0 turns auto-dial off).");

        await tab.PostAsync("Countdown", new() { ["seconds"] = "2" });
        tab.Html.ShouldContain("Countdown: 2 s (this session)");
        var session = (await agent.GetFromJsonAsync<JsonElement>("/api/v1/dialer/sessions"))[0];
        session.GetProperty("autoDialSeconds").GetInt32().ShouldBe(2);

        var api = await agent.PatchAsJsonAsync($"/api/v1/dialer/sessions/{session.GetProperty("id").GetGuid()}", new { autoDialSeconds = 99 });
        api.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        await tab.PostAsync("Countdown", new() { ["seconds"] = "" });
        tab.Html.ShouldContain("Countdown: 5 s (team default)");
    }

    [Fact]
    public async Task After_an_outcome_saved_in_the_dialer_the_next_lead_counts_down_and_a_pause_stops_it()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var first = await floor.LeadAsync("Ada");
        var next = await floor.LeadAsync("Boris");
        var queue = await floor.QueueAsync();
        var call = await floor.CallWithoutOutcomeAsync(first, ago: TimeSpan.FromMinutes(1));
        using var tab = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));
        await tab.StartAsync(queue);
        tab.Lead.ShouldBe(first);
        tab.Html.ShouldNotContain("data-testid=\"autodial-countdown\"");

        await tab.PostAsync("Disposition", new() { ["Outcome.CallId"] = call.ToString(), ["Outcome.Disposition"] = "no-answer" });

        tab.Lead.ShouldBe(next);
        tab.Html.ShouldContain("data-state=\"armed\"");
        WebUtility.HtmlDecode(tab.Html).ShouldContain("Dialing Boris in 5…");

        await tab.PostAsync("AutoDial", new() { ["paused"] = "true" });
        tab.Html.ShouldContain("data-state=\"paused\"");
        tab.Html.ShouldNotContain("data-testid=\"autodial-countdown\"");

        await tab.PostAsync("AutoDial", new() { ["paused"] = "false" });
        tab.Html.ShouldContain("data-state=\"armed\"");
        await tab.PostAsync("CancelCountdown", new());
        tab.Html.ShouldContain("data-state=\"ready\"");
        tab.Lead.ShouldBe(next);
    }

    [Fact]
    public async Task An_auto_dial_after_a_pause_in_another_tab_places_no_call_and_after_resuming_places_one()
    {
        var lead = await host.LeadAsync("agent", "(212) 555-0171");
        using var agent = await host.LoginAsync(host.Tenant.Email("agent"));
        var queue = (await DialerApi.Json(await agent.PostAsJsonAsync("/api/v1/dialer/queues", new { name = "Auto" }))).GetProperty("id").GetGuid();
        using var counting = await DialerTab.SignInAsync(host, host.Tenant.Email("agent"));
        using var other = counting.NewTab();
        await counting.StartAsync(queue);
        await other.StartAsync(queue);
        counting.Lead.ShouldBe(lead);
        await counting.PostAsync("AutoDial", new() { ["paused"] = "false" });
        counting.Html.ShouldContain("data-state=\"armed\"");

        await other.PostAsync("AutoDial", new() { ["paused"] = "true" });
        await counting.PostAsync("Dial", new() { ["leadId"] = lead.ToString(), ["auto"] = "true" });
        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls?leadId={lead}")).GetProperty("total").GetInt32().ShouldBe(0);

        await other.PostAsync("AutoDial", new() { ["paused"] = "false" });
        await counting.PostAsync("Dial", new() { ["leadId"] = lead.ToString(), ["auto"] = "true" });
        await other.PostAsync("Dial", new() { ["leadId"] = lead.ToString(), ["auto"] = "true" });

        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls?leadId={lead}")).GetProperty("total").GetInt32().ShouldBe(1);
        counting.Html.ShouldContain("data-testid=\"disposition-form\"");
    }

    [Fact]
    public async Task Two_dials_of_the_same_lead_at_once_place_one_call()
    {
        var lead = await host.LeadAsync("agent2", "(212) 555-0172");
        using var agent2 = await host.LoginAsync(host.Tenant.Email("agent2"));
        var queue = (await DialerApi.Json(await agent2.PostAsJsonAsync("/api/v1/dialer/queues", new { name = "Double click" }))).GetProperty("id").GetGuid();
        var session = await DialerApi.OpenAsync(agent2, queue);
        (await DialerApi.TurnAsync(agent2, session)).ShouldBe(lead);

        var dials = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => agent2.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/dial", new { leadId = lead })));
        var again = await agent2.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/dial", new { leadId = lead });

        dials.Count(d => d.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        dials.Count(d => d.StatusCode == HttpStatusCode.Conflict).ShouldBe(3);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await agent2.GetFromJsonAsync<JsonElement>($"/api/v1/calls?leadId={lead}")).GetProperty("total").GetInt32().ShouldBe(1);
        (await agent2.GetFromJsonAsync<JsonElement>($"/api/v1/dialer/sessions/{session}")).GetProperty("stats").GetProperty("calls").GetInt32().ShouldBe(1);
        (await agent2.GetFromJsonAsync<JsonElement>($"/api/v1/dialer/sessions/{session}/report")).GetProperty("dials").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task The_session_report_counts_dials_connects_talk_time_and_outcomes_including_no_outcome_and_is_private()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var lead = await floor.LeadAsync("Ada");
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        using var colleague = await host.LoginAsync(floor.Tenant.Email("agent2"));
        var session = await DialerApi.OpenAsync(agent, queue);
        (await agent.GetAsync("/api/v1/dispositions")).EnsureSuccessStatusCode();
        await floor.AsAsync("agent", async s =>
        {
            // As a wrap-up that ran out leaves it (WrapUpExpiry): the reserved, inactive disposition.
            await s.Db.Database.ExecuteSqlAsync($"""
                insert into call_dispositions (tenant_id, code, label, lead_status, adds_to_dnc, is_connect, sort_order, is_active)
                values ({floor.Tenant.Id}, {Dispositions.NoOutcome}, {"No outcome (wrap-up ran out)"}, null, false, false, 1000, false)
                on conflict do nothing
                """);
            var now = floor.Clock.GetUtcNow();
            Call Of(string status, int? talked, string? disposition) => new()
            {
                Id = Guid.CreateVersion7(), Direction = CallDirections.Outbound, FromNumber = "+12125550100", ToNumber = "+12125550150",
                LeadId = lead, AgentId = floor.Tenant.Users["agent"], Provider = "twilio", Status = status, DialerSessionId = session,
                AnsweredAt = talked is null ? null : now, DurationSeconds = talked, Disposition = disposition,
                DispositionedAt = disposition is null ? null : now, CreatedAt = now, UpdatedAt = now,
            };
            s.Db.Calls.AddRange(
                Of(CallStatuses.Completed, 60, "interested"), Of(CallStatuses.Completed, 30, Dispositions.NoOutcome),
                Of(CallStatuses.NoAnswer, null, "no-answer"), Of(CallStatuses.Completed, 15, null));
            await s.Db.SaveChangesAsync();
        });

        var report = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/dialer/sessions/{session}/report");

        report.GetProperty("dials").GetInt32().ShouldBe(4);
        report.GetProperty("connects").GetInt32().ShouldBe(3);
        report.GetProperty("talkSeconds").GetInt64().ShouldBe(105);
        var outcomes = report.GetProperty("outcomes").EnumerateArray().ToDictionary(o => o.GetProperty("code").GetString()!, o => o.GetProperty("count").GetInt32());
        outcomes.ShouldBe(new Dictionary<string, int> { ["interested"] = 1, ["no-answer"] = 1, [Dispositions.NoOutcome] = 1, [DialerSessionReport.Awaiting] = 1 }, ignoreOrder: true);
        (await colleague.GetAsync($"/api/v1/dialer/sessions/{session}/report")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var tab = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));
        (await tab.GoAsync($"/dialer?handler=Stats&session={session}")).ShouldBe(HttpStatusCode.OK);
        tab.Html.ShouldContain("data-testid=\"stat-talk\">1:45<");
    }
}
