using System.Net.Http.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// The "Calls" card of an open lead page follows the lead's calls live: the simulator (see <see cref="DialerHost"/>)
/// rings 1 s and talks 4 s, and every status it reports reaches the page through the floor hub.
/// </summary>
public sealed class LeadTimelineTests(DialerHost host) : IClassFixture<DialerHost>
{
    private static readonly LocatorAssertionsToHaveAttributeOptions CallTimeout = new() { Timeout = 30_000 };

    [Fact]
    public async Task Agent_calls_a_lead_and_watches_the_call_go_live_and_end_in_the_timeline_without_reload()
    {
        await using var ui = await CallFromLeadPageAsync("Tess", "(212) 555-0151");

        var status = ui.Page.GetByTestId("lead-call-status");
        await Expect(status).ToHaveAttributeAsync("data-status", "in-progress", CallTimeout);
        await Expect(status).ToHaveAttributeAsync("data-status", "completed", CallTimeout);
        await Expect(ui.Page.GetByTestId("lead-call")).ToHaveCountAsync(1);
        (await IsSamePageAsync(ui)).ShouldBeTrue("the timeline must update without reloading the page");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Outcome_recorded_elsewhere_appears_on_the_open_lead_page()
    {
        await using var ui = await CallFromLeadPageAsync("Otto", "(212) 555-0152");
        var call = ui.Page.GetByTestId("lead-call");
        await Expect(call.GetByTestId("lead-call-status")).ToHaveAttributeAsync("data-status", "completed", CallTimeout);
        var callId = await call.GetAttributeAsync("data-call-id");

        var agent = await host.As("agent");
        (await agent.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "interested", notes = "Wants a demo <b>Friday</b>" }))
            .EnsureSuccessStatusCode();

        await Expect(call).ToContainTextAsync("Outcome: interested");
        await Expect(call).ToContainTextAsync("Wants a demo <b>Friday</b>");
        (await IsSamePageAsync(ui)).ShouldBeTrue("the timeline must update without reloading the page");
        ui.Problems.ShouldBeEmpty();
    }

    /// <summary>The agent opens a new lead of theirs, clicks Call, and the page is marked (to tell a reload later).</summary>
    private async Task<UiSession> CallFromLeadPageAsync(string firstName, string phone)
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/leads", new { firstName, lastName = "Timeline", phone, ownerId = host.Tenant.Users["agent"] });
        created.EnsureSuccessStatusCode();
        var leadId = (await created.Content.ReadFromJsonAsync<IdOnly>())!.Id;
        var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync($"/leads/{leadId}");
        await ui.Page.GetByTestId("call-lead").ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Calling.");
        await MarkPageAsync(ui);
        return ui;
    }

    /// <summary>A reload would drop this window property.</summary>
    private static Task MarkPageAsync(UiSession ui) => ui.Page.EvaluateAsync("() => { window.leadTimelineTestMark = true; }");

    private static Task<bool> IsSamePageAsync(UiSession ui) => ui.Page.EvaluateAsync<bool>("() => window.leadTimelineTestMark === true");

    private sealed record IdOnly(Guid Id);
}
