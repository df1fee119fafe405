using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>Settings → Data retention: an admin sets how long data is kept, sees the audit minimum enforced, and saves.</summary>
public sealed class RetentionPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Admin_sets_the_retention_sees_the_audit_minimum_named_and_saves()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/settings/retention");
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "Data retention" })).ToBeVisibleAsync();
        await Expect(ui.Page.GetByLabel("Call recordings (days)")).ToHaveValueAsync("");
        await Expect(ui.Page.Locator("a[href='/settings/retention']")).ToHaveAttributeAsync("aria-current", "page");
        await ui.ScreenshotAsync("retention-empty.png");

        await ui.Page.GetByLabel("Call recordings (days)").FillAsync("90");
        await ui.Page.GetByLabel("Closed tickets (days after solved)").FillAsync("365");
        await ui.Page.GetByLabel("Audit entries (days)").FillAsync("30");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        await Expect(ui.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The data retention was not saved");
        await Expect(ui.Page.Locator("#auditEntriesDays-error")).ToContainTextAsync("the legal minimum is 365");
        await Expect(ui.Page.GetByLabel("Audit entries (days)")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ui.Page.GetByLabel("Call recordings (days)")).ToHaveValueAsync("90");
        await ui.ScreenshotAsync("retention-error.png");

        await ui.Page.GetByLabel("Audit entries (days)").FillAsync("400");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("The data retention was saved.");
        await Expect(ui.Page.GetByLabel("Call recordings (days)")).ToHaveValueAsync("90");
        await Expect(ui.Page.GetByLabel("Closed tickets (days after solved)")).ToHaveValueAsync("365");
        await Expect(ui.Page.GetByLabel("Audit entries (days)")).ToHaveValueAsync("400");
        await Expect(ui.Page.GetByLabel("Call transcripts (days)")).ToHaveValueAsync("");
        await ui.ScreenshotAsync("retention-saved.png");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_agent_cannot_open_the_data_retention()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));

        await ui.Page.GotoAsync("/settings/retention");

        await Expect(ui.Page).ToHaveURLAsync(new Regex("/forbidden"));
    }
}
