using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The administration pages post the same typed bodies as the API: members and calling rules.</summary>
public sealed class AdminPagesTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Admin_adds_a_user_after_fixing_a_missing_last_name_and_then_deactivates_them()
    {
        var email = $"new-{Guid.NewGuid():N}"[..16] + "@example.com";
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/users");

        await ui.Page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await ui.Page.GetByLabel("First name", new() { Exact = true }).FillAsync("Grace");
        await ui.Page.GetByLabel("Initial password", new() { Exact = true }).FillAsync("Correct-Horse-9");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Expect(ui.Page.Locator("#lastName-error")).ToHaveTextAsync("Last name is required.");

        await ui.Page.GetByLabel("Last name", new() { Exact = true }).FillAsync("Hopper");
        await ui.Page.GetByLabel("Initial password", new() { Exact = true }).FillAsync("Correct-Horse-9");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync($"{email} was added as agent.");

        var row = ui.Page.GetByTestId("user-table").GetByRole(AriaRole.Row).Filter(new() { HasText = email });
        await row.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync($"{email} was deactivated.");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Admin_saves_the_calling_rules_and_sees_them_again()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/settings/calling");

        await ui.Page.GetByLabel("Maximum attempts per lead per day").FillAsync("7");
        await ui.Page.GetByLabel("Script shown to agents in the dialer").FillAsync("  Hello, this is Switchboard.  ");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save calling rules" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Calling rules were saved.");
        await Expect(ui.Page.GetByLabel("Maximum attempts per lead per day")).ToHaveValueAsync("7");
        await Expect(ui.Page.GetByLabel("Script shown to agents in the dialer")).ToHaveValueAsync("Hello, this is Switchboard.");
        ui.Problems.ShouldBeEmpty();
    }
}
