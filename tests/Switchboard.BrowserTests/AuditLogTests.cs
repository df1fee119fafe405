using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The audit log page in Chromium: its filters narrow the table and stay in the address, and the log verifies.</summary>
public sealed class AuditLogTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name), FullPage = true });
    }

    [Fact]
    public async Task Admin_narrows_the_log_to_one_member_and_one_action_and_the_address_keeps_the_filters()
    {
        var manager = await host.As("manager");
        var lead = await (await manager.PostAsJsonAsync("/api/v1/leads", new { firstName = "Grace", lastName = "Hopper", company = "Navy Labs" })).Content.ReadFromJsonAsync<JsonElement>();
        (await manager.PatchAsJsonAsync($"/api/v1/leads/{lead.GetProperty("id").GetGuid()}", new { title = "Rear Admiral" })).EnsureSuccessStatusCode();
        (await (await host.As("admin")).PostAsJsonAsync("/api/v1/accounts", new { name = "Admiralty Ltd" })).EnsureSuccessStatusCode();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/audit");
        var table = ui.Page.GetByTestId("audit-table");
        await Expect(table).ToContainTextAsync("admin User");

        await ui.Page.GetByLabel("Who").SelectOptionAsync(new SelectOptionValue { Label = "manager User" });
        await Expect(ui.Page).ToHaveURLAsync(new Regex($"actor={host.Tenant.Users["manager"]}"));
        await ui.Page.GetByLabel("Action").SelectOptionAsync(new SelectOptionValue { Label = "Updated" });
        await Expect(ui.Page).ToHaveURLAsync(new Regex("action=updated"));

        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(table).ToContainTextAsync("Rear Admiral");
        await Expect(table).Not.ToContainTextAsync("admin User");
        await Expect(ui.Page.GetByLabel("Who")).ToHaveValueAsync(host.Tenant.Users["manager"].ToString());
        await ScreenshotAsync(ui.Page, "audit-filtered.png");

        await ui.Page.GetByTestId("audit-clear").ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/audit$"));
        await ui.Page.GetByLabel("From").FillAsync("2001-01-01");
        await Expect(ui.Page).ToHaveURLAsync(new Regex("from=2001-01-01"));
        await ui.Page.GetByLabel("To").FillAsync("2001-01-31");
        await Expect(ui.Page).ToHaveURLAsync(new Regex("from=2001-01-01.*to=2001-01-31"));
        await Expect(ui.Page.GetByText("No events match these filters")).ToBeVisibleAsync();
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Admin_verifies_the_log_and_sets_a_retention_from_the_page()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/audit");

        await ui.Page.GetByTestId("audit-verify").ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("The audit log is intact");
        await ui.Page.GetByLabel("Keep events for").FillAsync("400");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Audit events are now kept for 400 days.");
        await Expect(ui.Page.GetByLabel("Keep events for")).ToHaveValueAsync("400");
        await ScreenshotAsync(ui.Page, "audit-page.png");
        ui.Problems.ShouldBeEmpty();
    }
}
