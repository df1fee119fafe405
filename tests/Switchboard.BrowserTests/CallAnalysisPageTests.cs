using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// The call page as an agent uses it after a call: the AI's summary, the follow-ups with the words they came from
/// (a click marks the words in the transcript), a suggestion added as a task, and "undo AI changes".
/// </summary>
public sealed class CallAnalysisPageTests(DialerHost host) : IClassFixture<DialerHost>
{
    [Fact]
    public async Task An_agent_reviews_the_analysis_follows_a_quote_accepts_a_suggestion_and_undoes_the_ai_changes()
    {
        var callId = await AnalysedCallAsync();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        ui.AcceptDialogs = true;

        await ui.Page.GotoAsync($"/calls/{callId}");

        await Expect(ui.Page.GetByTestId("call-title")).ToHaveTextAsync("Call with Petra Quoteley");
        await Expect(ui.Page.GetByTestId("analysis-summary")).Not.ToBeEmptyAsync();
        await Expect(ui.Page.GetByTestId("analysis-engine")).ToHaveTextAsync("Rules engine");
        var created = ui.Page.Locator("[data-testid=ai-item][data-state=created]");
        await Expect(created.First).ToContainTextAsync("Task created");
        await created.First.GetByTestId("ai-quote").ClickAsync();
        await Expect(ui.Page.Locator("mark.quote:target")).ToContainTextAsync("pricing sheet");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "call-analysis.png"), FullPage = true });

        var suggestion = ui.Page.Locator("[data-testid=ai-item][data-state=suggested]").First;
        await suggestion.GetByTestId("accept-suggestion").ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Suggestion added to the tasks.");
        await Expect(ui.Page.Locator("[data-testid=ai-item][data-state=accepted]")).ToHaveCountAsync(1);

        await ui.Page.GetByTestId("undo-analysis").ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("undone");
        await Expect(ui.Page.GetByTestId("analysis-undone")).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("undo-analysis")).ToHaveCountAsync(0);
        ui.Problems.ShouldBeEmpty();
    }

    /// <summary>A simulated call of the agent's, with a transcript pushed through the API and analysed.</summary>
    private async Task<Guid> AnalysedCallAsync()
    {
        var admin = await host.As("admin");
        var lead = await admin.PostAsJsonAsync("/api/v1/leads",
            new { firstName = "Petra", lastName = "Quoteley", phone = "(212) 555-0177", ownerId = host.Tenant.Users["agent"], timeZone = "America/New_York" });
        lead.EnsureSuccessStatusCode();
        var leadId = (await lead.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var agent = await host.As("agent");
        var placed = await agent.PostAsJsonAsync("/api/v1/calls", new { leadId });
        placed.EnsureSuccessStatusCode();
        var callId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Eventually.Until(() => agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}"),
            c => c.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(30), "the simulated call to end");

        (await agent.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", new
        {
            utterances = new object[]
            {
                new { speaker = "agent", start = 0.0, end = 5.0, text = "Hi Petra, it's Sam from Switchboard. Do you have a minute?" },
                new { speaker = "contact", start = 5.5, end = 10.0, text = "Sure. Can you send me the pricing sheet for twenty seats?" },
                new { speaker = "agent", start = 10.5, end = 15.0, text = "Absolutely, I'll send you the pricing sheet by Friday." },
                new { speaker = "agent", start = 15.5, end = 20.0, text = "If you want, I could also set up a demo with your team sometime." },
                new { speaker = "contact", start = 20.5, end = 23.0, text = "Maybe, let's see. Thanks!" },
            },
        })).EnsureSuccessStatusCode();
        await Eventually.Until(() => agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}/analysis"),
            a => a.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(30), "the call's analysis");
        return callId;
    }
}
