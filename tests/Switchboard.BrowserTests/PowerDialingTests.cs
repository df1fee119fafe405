using Switchboard.Testing;
using System.Net.Http.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// Power dialing (ADR 0032) in Chromium: after each outcome the next lead dials on its own after the countdown, P pauses
/// and resumes it, Escape cancels it, and the workspace works on a phone. Each test has a tenant of its own with the
/// simulator (answers every call, rings 1 s, talks 4 s) and calling hours open all day.
/// </summary>
public sealed class PowerDialingTests(DialerHost host) : IClassFixture<DialerHost>
{
    private static readonly LocatorAssertionsToHaveAttributeOptions CallTimeout = new() { Timeout = 30_000 };

    private async Task<TestTenant> TenantAsync(string slug, int countdown, params string[] leads)
    {
        var tenant = await host.CreateTenantAsync(slug);
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await DialerHost.SimulateCallsAsync(admin, countdown);
        var n = 0;
        foreach (var name in leads)
        {
            var parts = name.Split(' ');
            (await admin.PostAsJsonAsync("/api/v1/leads", new
            {
                firstName = parts[0], lastName = parts[1], company = "Northwind Traders", title = "Head of Operations",
                phone = $"(212) 555-01{81 + n++}", ownerId = tenant.Users["agent"],
            })).EnsureSuccessStatusCode();
        }
        return tenant;
    }

    private static async Task StartQueueAsync(UiSession ui, string name)
    {
        await ui.Page.GotoAsync("/dialer");
        await ui.Page.GetByLabel("Queue name").FillAsync(name);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save and start" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("dialer-lead")).ToBeVisibleAsync();
    }

    /// <summary>Waits until the call on screen has ended, then saves its outcome.</summary>
    internal static async Task WaitForCallEndAndSaveAsync(IPage page, string disposition)
    {
        await Expect(page.GetByTestId("call-status")).ToHaveAttributeAsync("data-status", "completed", CallTimeout);
        await page.GetByTestId("disposition").SelectOptionAsync(disposition);
        await page.GetByTestId("save-disposition").ClickAsync();
    }

    [Fact]
    public async Task A_power_dialing_session_auto_advances_through_three_leads_with_outcomes_until_the_queue_is_done()
    {
        var tenant = await TenantAsync("power", countdown: 1, "Priya Ng", "Omar Haddad", "Lena Brandt");
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(tenant.Email("agent"));
        await StartQueueAsync(ui, "Power hour");
        var lead = ui.Page.GetByTestId("dialer-lead");
        var seen = new List<string>();

        await ui.Page.GetByTestId("dial").ClickAsync();
        foreach (var disposition in new[] { "interested", "no-answer", "not-interested" })
        {
            var name = (await ui.Page.Locator("#lead-title").InnerTextAsync()).Trim();
            seen.Add(name);
            await WaitForCallEndAndSaveAsync(ui.Page, disposition);
            if (seen.Count == 3) break;
            // Nobody clicks Dial: the next lead is served and its call goes through on its own.
            await Expect(lead).Not.ToContainTextAsync(name);
            await Expect(ui.Page.GetByTestId("call-status")).ToHaveAttributeAsync("data-status", "in-progress", CallTimeout);
        }

        await Expect(ui.Page.GetByTestId("queue-empty")).ToContainTextAsync("Auto-dial has stopped: there is no lead left to dial.");
        seen.ShouldBe(["Priya Ng", "Omar Haddad", "Lena Brandt"], ignoreOrder: true);
        await Expect(ui.Page.GetByTestId("stat-dials")).ToHaveTextAsync("3");
        await Expect(ui.Page.GetByTestId("stat-connects")).ToHaveTextAsync("3");
        var outcomes = ui.Page.GetByTestId("stat-outcomes");
        await Expect(outcomes).ToContainTextAsync("Interested");
        await Expect(outcomes).ToContainTextAsync("No answer");
        await Expect(outcomes).ToContainTextAsync("Not interested");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "dialer-power-done.png"), FullPage = true });
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task P_pauses_and_resumes_the_countdown_and_Escape_cancels_it_so_no_call_is_placed()
    {
        var tenant = await TenantAsync("pause", countdown: 1, "Priya Ng", "Omar Haddad");
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(tenant.Email("agent"));
        await StartQueueAsync(ui, "Careful calls");
        await Expect(ui.Page.GetByTestId("shortcut-help")).ToContainTextAsync("pause/resume auto-dial");
        // A long countdown of the session's own, so the keys come well before it runs out.
        await ui.Page.GetByTestId("autodial-settings").ClickAsync();
        await ui.Page.GetByLabel("Countdown for this session (seconds)").FillAsync("45");
        await ui.Page.GetByTestId("autodial-save").ClickAsync();
        await Expect(ui.Page.GetByTestId("autodial-settings")).ToHaveTextAsync("Countdown: 45 s (this session)");

        await ui.Page.Keyboard.PressAsync("d");
        var first = (await ui.Page.Locator("#lead-title").InnerTextAsync()).Trim();
        await WaitForCallEndAndSaveAsync(ui.Page, "interested");

        var autodial = ui.Page.GetByTestId("autodial");
        await Expect(ui.Page.GetByTestId("dialer-lead")).Not.ToContainTextAsync(first);
        await Expect(autodial).ToHaveAttributeAsync("data-state", "armed");
        await Expect(ui.Page.GetByTestId("autodial-countdown")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Dialing (Priya Ng|Omar Haddad) in \\d+…"));
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "dialer-countdown.png"), FullPage = true });

        await ui.Page.Keyboard.PressAsync("p");
        await Expect(autodial).ToHaveAttributeAsync("data-state", "paused");
        await Expect(ui.Page.GetByTestId("autodial-countdown")).ToHaveCountAsync(0);
        await Expect(ui.Page.GetByTestId("autodial-resume")).ToBeVisibleAsync();

        await ui.Page.Keyboard.PressAsync("p");
        await Expect(autodial).ToHaveAttributeAsync("data-state", "armed");
        await ui.Page.Keyboard.PressAsync("Escape");
        await Expect(autodial).ToHaveAttributeAsync("data-state", "ready");
        await Expect(ui.Page.GetByTestId("dial")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\s*Dial\\s+D\\s*$"));
        await Expect(ui.Page.GetByTestId("call-status")).ToHaveAttributeAsync("data-status", "idle");
        await Expect(ui.Page.GetByTestId("stat-dials")).ToHaveTextAsync("1");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task On_a_phone_the_workspace_stacks_without_sideways_scrolling_and_its_buttons_are_big_enough_to_tap()
    {
        var tenant = await TenantAsync("touch", countdown: 30, "Priya Ng", "Omar Haddad");
        await using var ui = await host.OpenAsync(phone: true);
        await ui.SignInAsync(tenant.Email("agent"));
        await StartQueueAsync(ui, "On the road");

        var dial = ui.Page.GetByTestId("dial");
        (await dial.BoundingBoxAsync())!.Height.ShouldBeGreaterThanOrEqualTo(44);
        (await ui.Page.GetByTestId("skip").BoundingBoxAsync())!.Height.ShouldBeGreaterThanOrEqualTo(44);
        (await ui.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue();
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "dialer-phone.png"), FullPage = true });

        await dial.TapAsync();
        await WaitForCallEndAndSaveAsync(ui.Page, "interested");
        await Expect(ui.Page.GetByTestId("autodial")).ToHaveAttributeAsync("data-state", "armed");
        var pause = ui.Page.GetByTestId("autodial-pause");
        (await pause.BoundingBoxAsync())!.Height.ShouldBeGreaterThanOrEqualTo(44);
        (await ui.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue();
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } shots)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(shots, "dialer-phone-countdown.png"), FullPage = true });
        await pause.TapAsync();
        await Expect(ui.Page.GetByTestId("autodial")).ToHaveAttributeAsync("data-state", "paused");
        ui.Problems.ShouldBeEmpty();
    }
}
