using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The Keys page (/settings/api-keys): an administrator creates a key, sees it once and copies it, then revokes it.</summary>
public sealed class ApiKeyPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Admin_creates_a_scoped_key_sees_it_once_and_revokes_it()
    {
        await using var ui = await host.OpenAsync();
        await ui.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Security", Exact = true }).ClickAsync();
        await ui.Page.GetByTestId("security-tabs").GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings/api-keys$"));

        await ui.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Website form");
        await ui.Page.GetByLabel("Access").SelectOptionAsync("scopes");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Expect(ui.Page.Locator("#scopes-error")).ToContainTextAsync("at least one scope");

        await ui.Page.GetByLabel("leads: write").CheckAsync();
        await ui.Page.GetByLabel("contacts: read").CheckAsync();
        await ui.Page.GetByLabel("Allowed IP addresses (optional)").FillAsync("127.0.0.1\n2001:db8::/32");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        var shown = ui.Page.GetByTestId("new-key");
        await Expect(shown).ToContainTextAsync("shown only this once");
        var key = await ui.Page.GetByTestId("new-key-value").InputValueAsync();
        key.ShouldStartWith("sb_live_");
        await shown.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(shown.GetByRole(AriaRole.Button)).ToHaveTextAsync("Copied");
        (await ui.Page.EvaluateAsync<string>("navigator.clipboard.readText()")).ShouldBe(key);
        var row = ui.Page.GetByTestId("api-key-row").Filter(new() { HasText = "Website form" });
        await Expect(row).ToContainTextAsync("leads: read & write, contacts: read");
        await Expect(row).ToContainTextAsync("From 127.0.0.1/32, 2001:db8::/32");
        await ui.ScreenshotAsync("api-keys-created.png");

        using var integration = host.CreateClient();
        integration.DefaultRequestHeaders.Add("X-Api-Key", key);
        (await integration.GetAsync("/api/v1/leads")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);

        await ui.Page.GotoAsync("/settings/api-keys");
        (await ui.Page.ContentAsync()).ShouldNotContain(key);
        await Expect(row).ToContainTextAsync("127.0.0.1");
        ui.AcceptDialogs = true;
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke Website form" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("The key 'Website form' is revoked");
        await Expect(row).ToContainTextAsync("Revoked");
        (await integration.GetAsync("/api/v1/leads")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        await ui.ScreenshotAsync("api-keys-revoked.png");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_manager_cannot_open_the_keys_page()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));

        await ui.Page.GotoAsync("/settings/api-keys");

        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/forbidden"));
    }
}
