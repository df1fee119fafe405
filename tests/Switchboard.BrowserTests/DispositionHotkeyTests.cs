using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// An admin gives a new disposition a hotkey on the settings page; the agent's outcome form lists it with its key and
/// the key picks it (never while typing in the notes); an outcome that requires a callback marks the callback field.
/// </summary>
public sealed class DispositionHotkeyTests(DialerHost host) : IClassFixture<DialerHost>
{
    [Fact]
    public async Task Admin_adds_a_disposition_with_a_hotkey_and_the_agent_picks_it_with_that_key()
    {
        await using (var admin = await host.OpenAsync())
        {
            await admin.SignInAsync(host.Tenant.Email("admin"));
            await admin.Page.GotoAsync("/settings/dispositions");
            var editor = admin.Page.GetByTestId("disposition-editor");
            await editor.GetByLabel("Label").FillAsync("Sent brochure");
            await editor.GetByLabel("Hotkey").FillAsync("3");
            await editor.GetByTestId("save-disposition-settings").ClickAsync();
            await Expect(editor.GetByText("Hotkey 3 is already used by 'Call back later'.")).ToBeVisibleAsync();
            await editor.GetByLabel("Hotkey").FillAsync("b");
            await editor.GetByLabel("Counts as a connect (reached the person)").CheckAsync();
            await editor.GetByTestId("save-disposition-settings").ClickAsync();
            var row = admin.Page.GetByTestId("disposition-sent-brochure");
            await Expect(row).ToContainTextAsync("Sent brochure");
            await Expect(row.GetByTestId("hotkey")).ToHaveTextAsync("B");
            if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
                await admin.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "dispositions-settings.png"), FullPage = true });
            admin.Problems.ShouldBeEmpty();
        }

        await using var ui = await CallFromLeadPageAsync("Hettie", "(212) 555-0171");
        var form = ui.Page.GetByTestId("call-outcome");
        await Expect(form.GetByTestId("save-disposition")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        var outcome = form.GetByTestId("disposition");
        await Expect(outcome.Locator("option[value=sent-brochure]")).ToHaveTextAsync("B · Sent brochure");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } shots)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(shots, "outcome-hotkeys.png"), FullPage = true, Caret = ScreenshotCaret.Initial });

        await form.GetByLabel("Notes").FillAsync("Asked for a brochure");
        await form.GetByLabel("Notes").PressAsync("b");
        await Expect(outcome).ToHaveValueAsync("");
        await form.GetByLabel("Notes").BlurAsync();
        await ui.Page.Keyboard.PressAsync("b");
        await Expect(outcome).ToHaveValueAsync("sent-brochure");
        await Expect(form.GetByLabel("Notes")).ToHaveValueAsync("Asked for a brochureb");
        await form.GetByTestId("save-disposition").ClickAsync();

        await Expect(ui.Page.GetByTestId("outcome-saved")).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("lead-call")).ToContainTextAsync("Outcome: sent-brochure");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Picking_an_outcome_that_requires_a_callback_focuses_the_callback_field_and_saving_without_one_is_refused()
    {
        await using var ui = await CallFromLeadPageAsync("Cal", "(212) 555-0172");
        var form = ui.Page.GetByTestId("call-outcome");
        await Expect(form.GetByTestId("save-disposition")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        var callback = form.GetByTestId("callback");
        await Expect(callback).ToHaveAttributeAsync("aria-required", "false");

        await ui.Page.Keyboard.PressAsync("3");

        await Expect(form.GetByTestId("disposition")).ToHaveValueAsync("callback");
        await Expect(callback).ToBeFocusedAsync();
        await Expect(callback).ToHaveAttributeAsync("aria-required", "true");
        await Expect(form.Locator("[data-callback-note]")).ToContainTextAsync("required for Call back later");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "outcome-requires-callback.png"), FullPage = true, Caret = ScreenshotCaret.Initial });
        await form.GetByTestId("save-disposition").ClickAsync();
        await Expect(form).ToContainTextAsync("Callback is required for 'Call back later'.");

        await form.GetByTestId("callback").FillAsync(DateTime.Today.AddDays(2).ToString("yyyy-MM-dd") + "T10:30");
        await form.GetByTestId("save-disposition").ClickAsync();
        await Expect(ui.Page.GetByTestId("outcome-saved")).ToBeVisibleAsync();
        ui.Problems.ShouldBeEmpty();
    }

    /// <summary>The agent opens a new lead of theirs and clicks Call; the simulator answers, talks 4 s and hangs up.</summary>
    private async Task<UiSession> CallFromLeadPageAsync(string firstName, string phone)
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/leads", new { firstName, lastName = "Hotkey", phone, ownerId = host.Tenant.Users["agent"] });
        created.EnsureSuccessStatusCode();
        var leadId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync($"/leads/{leadId}");
        await ui.Page.GetByTestId("call-lead").ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Calling.");
        return ui;
    }
}
