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
        var (leadId, callId) = await AnalysedCallAsync();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        ui.AcceptDialogs = true;
        await ui.Page.GotoAsync($"/leads/{leadId}");
        var glance = ui.Page.GetByTestId("lead-call-analysis");
        await Expect(glance).ToContainTextAsync("AI summary");
        await Expect(glance).ToContainTextAsync("1 task created · 1 suggestion to review");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } leadShots)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(leadShots, "lead-call-analysis.png"), FullPage = true });

        await glance.GetByRole(AriaRole.Link, new() { Name = "Review" }).ClickAsync();

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

        // The manager's call report shows the agent's talk/listen share from the analysed call.
        await using var manager = await host.OpenAsync();
        await manager.SignInAsync(host.Tenant.Email("manager"));
        await manager.Page.GotoAsync("/reports");
        await Expect(manager.Page.GetByTestId("talk-listen").Filter(new() { HasText = "%" }).First).ToContainTextAsync("67% / 33%");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } reportShots)
            await manager.Page.ScreenshotAsync(new() { Path = Path.Combine(reportShots, "reports-talk-listen.png"), FullPage = true });
        manager.Problems.ShouldBeEmpty();
    }

    /// <summary>A simulated call of the agent's, with a transcript pushed through the API and analysed.</summary>
    private async Task<(Guid LeadId, Guid CallId)> AnalysedCallAsync()
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
        return (leadId, callId);
    }
}

/// <summary>The administrators' AI page: the follow-up policy, with its field errors, and connecting a voice-agent provider.</summary>
public sealed class AiSettingsPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task An_admin_sets_the_follow_up_policy_and_connects_a_voice_agent_provider()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/settings/ai");

        await ui.Page.GetByLabel("Least confidence for a task, in percent").FillAsync("140");
        await ui.Page.GetByTestId("ai-policy").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(ui.Page.Locator(".field-error").Filter(new() { HasText = "between 0 and 1" })).ToBeVisibleAsync();

        await ui.Page.GetByLabel("Create tasks at once for").SelectOptionAsync("high");
        await ui.Page.GetByLabel("Least confidence for a task, in percent").FillAsync("70");
        await ui.Page.GetByTestId("ai-policy").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("The AI settings were saved.");
        await Expect(ui.Page.GetByLabel("Create tasks at once for")).ToHaveValueAsync("high");
        await Expect(ui.Page.GetByLabel("Least confidence for a task, in percent")).ToHaveValueAsync("70");

        var callfluent = ui.Page.GetByTestId("voice-agent-callfluent");
        await callfluent.GetByLabel("Signing secret").FillAsync("callfluent-secret-0123456789");
        await callfluent.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("CallFluent is connected.");
        await Expect(ui.Page.GetByTestId("voice-agent-callfluent")).ToContainTextAsync("Connected");
        (await ui.Page.ContentAsync()).ShouldNotContain("callfluent-secret-0123456789");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "ai-settings.png"), FullPage = true });
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_admin_points_analyses_at_their_own_model_and_sees_the_months_usage()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/settings/ai");
        var model = ui.Page.GetByTestId("ai-model");
        await Expect(ui.Page.GetByTestId("model-in-use")).ToContainTextAsync("rules engine");

        await model.GetByLabel("Your own endpoint (OpenAI-compatible)").FillAsync("http://169.254.169.254/v1");
        await model.GetByLabel("Model", new() { Exact = true }).FillAsync("gpt-4o-mini");
        await model.GetByRole(AriaRole.Button, new() { Name = "Save model settings" }).ClickAsync();
        await Expect(ui.Page.Locator("#llmEndpoint-error")).ToContainTextAsync("never sends requests to");

        await model.GetByLabel("Your own endpoint (OpenAI-compatible)").FillAsync("http://127.0.0.1:9/v1");
        await model.GetByLabel("API key").FillAsync("sk-browser-test-key-0123456789");
        await model.GetByLabel("Monthly token budget").FillAsync("250,000");
        await model.GetByRole(AriaRole.Button, new() { Name = "Save model settings" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("The model settings were saved.");
        await Expect(ui.Page.GetByTestId("model-in-use")).ToContainTextAsync("gpt-4o-mini (your own endpoint)");
        await Expect(ui.Page.GetByTestId("ai-usage")).ToContainTextAsync("of 250,000 tokens");
        await Expect(ui.Page.GetByTestId("ai-model").GetByLabel("API key (set; leave empty to keep it)")).ToBeEmptyAsync();
        (await ui.Page.ContentAsync()).ShouldNotContain("sk-browser-test-key-0123456789");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "ai-settings-model.png"), FullPage = true });
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_ai_page_is_for_administrators_only()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));

        var response = await ui.Page.GotoAsync("/settings/ai");

        response!.Status.ShouldBe(403);
    }
}
