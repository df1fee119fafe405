using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// Every call ends in the same outcome step wherever the agent is: the lead page shows the outcome form live when its
/// call ends, and the "outcome needed" bar follows the agent across pages until the outcome is saved. The simulator
/// (see <see cref="DialerHost"/>) rings 1 s and talks 4 s.
/// </summary>
public sealed class CallOutcomeTests(DialerHost host) : IClassFixture<DialerHost>
{
    private static readonly LocatorAssertionsToHaveAttributeOptions CallTimeout = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };

    [Fact]
    public async Task Call_from_the_lead_page_ends_in_the_outcome_form_live_and_saving_it_makes_the_agent_available()
    {
        await using var ui = await CallFromLeadPageAsync("Olive", "(212) 555-0161");

        await Expect(ui.Page.GetByTestId("lead-call-status")).ToHaveAttributeAsync("data-status", "completed", CallTimeout);
        var timelineCall = ui.Page.GetByTestId("record-timeline").Locator("[data-kind=call]");
        await Expect(timelineCall).ToContainTextAsync("Completed");
        await Expect(timelineCall.GetByTestId("timeline-status")).ToHaveAttributeAsync("data-status", "completed");
        var form = ui.Page.GetByTestId("call-outcome");
        await Expect(form).ToContainTextAsync("How did the call go?");
        await Expect(form.GetByTestId("save-disposition")).ToBeEnabledAsync();
        (await PresenceAsync()).ShouldBe("wrap-up");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "lead-outcome-form.png"), FullPage = true });

        await form.GetByTestId("disposition").SelectOptionAsync("interested");
        await form.GetByLabel("Notes").FillAsync("Wants the demo on Friday");
        await form.GetByTestId("save-disposition").ClickAsync();

        await Expect(ui.Page.GetByTestId("outcome-saved")).ToBeVisibleAsync();
        (await PresenceAsync()).ShouldBe("available");
        await Expect(timelineCall).ToContainTextAsync("interested");
        await Expect(timelineCall.GetByTestId("timeline-status")).ToHaveAttributeAsync("data-status", "completed");
        await Expect(ui.Page.GetByTestId("lead-call")).ToContainTextAsync("Outcome: interested");
        (await ui.Page.EvaluateAsync<bool>("() => window.outcomeTestMark === true")).ShouldBeTrue("the form must appear and save without reloading the page");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_outcome_needed_bar_follows_the_agent_to_other_pages_until_the_outcome_is_saved()
    {
        await using var ui = await CallFromLeadPageAsync("Bart", "(212) 555-0162");
        await Expect(ui.Page.GetByTestId("lead-call-status")).ToHaveAttributeAsync("data-status", "completed", CallTimeout);

        await ui.Page.GotoAsync("/contacts");
        var bar = ui.Page.GetByTestId("outcome-needed");
        await Expect(bar).ToBeVisibleAsync(Visible);
        await Expect(bar).ToContainTextAsync("Bart Outcome");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "outcome-needed-bar.png"), FullPage = true });
        await ui.Page.GotoAsync("/accounts");
        await Expect(bar).ToBeVisibleAsync();

        await bar.GetByTestId("outcome-needed-link").ClickAsync();
        var form = ui.Page.GetByTestId("call-outcome");
        await form.GetByTestId("disposition").SelectOptionAsync("no-answer");
        await form.GetByTestId("save-disposition").ClickAsync();

        await Expect(ui.Page.GetByTestId("outcome-needed")).ToHaveCountAsync(0);
        await ui.Page.GotoAsync("/contacts");
        await Expect(ui.Page.GetByTestId("outcome-needed")).ToHaveCountAsync(0);
        (await PresenceAsync()).ShouldBe("available");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_contact_is_called_from_its_page_and_its_call_ends_in_the_same_outcome_form()
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/contacts", new { firstName = "Cora", lastName = "Contact", phones = new[] { "(212) 555-0163" }, ownerId = host.Tenant.Users["agent"] });
        created.EnsureSuccessStatusCode();
        var contactId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync($"/contacts/{contactId}");

        await ui.Page.GetByTestId("call-contact").ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Calling.");
        var form = ui.Page.GetByTestId("call-outcome");
        await Expect(form).ToContainTextAsync("How did the call go?", new() { Timeout = 30_000 });
        var timelineCall = ui.Page.GetByTestId("record-timeline").Locator("[data-kind=call]");
        await Expect(timelineCall.GetByTestId("timeline-status")).ToHaveAttributeAsync("data-status", "completed", CallTimeout);
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "contact-outcome-form.png"), FullPage = true });
        await form.GetByTestId("disposition").SelectOptionAsync("left-voicemail");
        await form.GetByTestId("save-disposition").ClickAsync();

        await Expect(ui.Page.GetByTestId("outcome-saved")).ToBeVisibleAsync();
        await Expect(timelineCall).ToContainTextAsync("left-voicemail");
        (await PresenceAsync()).ShouldBe("available");
        ui.Problems.ShouldBeEmpty();
    }

    /// <summary>The agent opens a new lead of theirs and clicks Call; the page is marked (a reload would drop the mark).</summary>
    private async Task<UiSession> CallFromLeadPageAsync(string firstName, string phone)
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/leads", new { firstName, lastName = "Outcome", phone, ownerId = host.Tenant.Users["agent"] });
        created.EnsureSuccessStatusCode();
        var leadId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync($"/leads/{leadId}");
        await ui.Page.GetByTestId("call-lead").ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Calling.");
        await ui.Page.EvaluateAsync("() => { window.outcomeTestMark = true; }");
        return ui;
    }

    private async Task<string> PresenceAsync()
    {
        var agent = await host.As("agent");
        var floor = await agent.GetFromJsonAsync<JsonElement>("/api/v1/presence");
        return floor.EnumerateArray().Single(p => p.GetProperty("userId").GetGuid() == host.Tenant.Users["agent"]).GetProperty("state").GetString()!;
    }
}
