using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

public sealed class TenantTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Superadmin_enters_another_tenant_from_the_tenants_page()
    {
        var other = await host.CreateTenantAsync("enter-" + Guid.NewGuid().ToString("N")[..6]);
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(BrowserHost.SuperadminEmail);

        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Tenants" }).ClickAsync();
        var row = ui.Page.GetByTestId("tenant-table").GetByRole(AriaRole.Row).Filter(new() { HasText = other.Slug });
        await row.GetByRole(AriaRole.Button, new() { Name = "Enter" }).ClickAsync();

        await Expect(ui.Page).ToHaveURLAsync(new Regex("^[^?]*/$"));
        await Expect(ui.Page.GetByTestId("flash")).ToHaveTextAsync(new Regex($"You are now working in Tenant {other.Slug}"));
        await Expect(ui.Page.GetByTestId("tenant-switcher")).ToContainTextAsync($"Tenant {other.Slug}");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Non_superadmin_cannot_open_the_tenants_page()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));

        await ui.Page.GotoAsync("/tenants");

        await Expect(ui.Page).ToHaveURLAsync(new Regex("/forbidden"));
    }

    [Fact]
    public async Task Slash_key_focuses_the_lead_search()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync("/leads");

        await ui.Page.Keyboard.PressAsync("/");

        await Expect(ui.Page.Locator("input[data-search]")).ToBeFocusedAsync();
    }
}
