using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>Settings → Support: categories, SLA targets and templates saved through the page, and the triage tried on an email.</summary>
public sealed class SupportSettingsPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Admin_changes_the_support_settings_sees_a_bad_target_named_and_tries_the_triage()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/settings/support");
        await Expect(ui.Page.GetByLabel("One category a line")).ToHaveValueAsync(new Regex("^billing: invoice"));

        await ui.Page.GetByLabel("One category a line").FillAsync("billing: invoice, refund\ndialer: dialer, calls, down");
        await ui.Page.GetByLabel("urgent first response hours").FillAsync("0");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        await Expect(ui.Page.GetByTestId("support-errors")).ToContainTextAsync("Urgent, first response (hours): From 1 to 8,760 hours.");
        await Expect(ui.Page.GetByLabel("urgent first response hours")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ui.Page.GetByLabel("dialer", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(ui.Page.GetByLabel("technical", new() { Exact = true })).ToHaveCountAsync(0);
        await ShotAsync(ui, "support-settings-error.png");
        await ui.Page.GetByLabel("urgent first response hours").FillAsync("2");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("The support settings were saved.");
        await Expect(ui.Page.GetByLabel("urgent first response hours")).ToHaveValueAsync("2");
        await Expect(ui.Page.GetByLabel("dialer", new() { Exact = true })).ToBeVisibleAsync();

        await ui.Page.GetByLabel("Subject").FillAsync("Dialer down");
        await ui.Page.GetByLabel("From (name)").FillAsync("Raj Patel");
        await ui.Page.GetByLabel("Body").FillAsync("Since 9am <i>the dialer</i> is down for everyone. Please help immediately.");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Triage" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("triage-category")).ToHaveTextAsync("dialer");
        await Expect(ui.Page.GetByTestId("triage-priority")).ToContainTextAsync("urgent (first response within 2 h");
        await Expect(ui.Page.GetByTestId("triage-result")).ToContainTextAsync("Hi Raj,");
        await Expect(ui.Page.GetByTestId("triage-result")).ToContainTextAsync("<i>the dialer</i> is down");
        await ShotAsync(ui, "support-settings-try.png");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_agent_cannot_open_the_support_settings()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));

        await ui.Page.GotoAsync("/settings/support");

        await Expect(ui.Page).ToHaveURLAsync(new Regex("/forbidden"));
    }

    private static async Task ShotAsync(UiSession ui, string name)
    {
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, name), FullPage = true });
    }
}
