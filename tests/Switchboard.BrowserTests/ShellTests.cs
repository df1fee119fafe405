using System.Net;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

public sealed class ShellTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private ILocator Nav(UiSession ui) => ui.Page.GetByRole(AriaRole.Navigation).First;

    [Fact]
    public async Task Agent_does_not_see_the_users_or_audit_log_navigation()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));

        await Expect(Nav(ui).GetByRole(AriaRole.Link, new() { Name = "Leads" })).ToBeVisibleAsync();
        await Expect(Nav(ui).GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        await Expect(Nav(ui).GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToHaveCountAsync(0);
        await Expect(Nav(ui).GetByRole(AriaRole.Link, new() { Name = "Tenants" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Admin_sees_the_users_and_audit_log_navigation()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));

        await Expect(Nav(ui).GetByRole(AriaRole.Link, new() { Name = "Users" })).ToBeVisibleAsync();
        await Expect(Nav(ui).GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToBeVisibleAsync();
        await Expect(Nav(ui).GetByRole(AriaRole.Link, new() { Name = "Tenants" })).ToHaveCountAsync(0);

        await Nav(ui).GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("user-table")).ToContainTextAsync(host.Tenant.Email("agent2"));
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Agent_opening_the_users_page_directly_is_refused()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));

        await ui.Page.GotoAsync("/users");

        await Expect(ui.Page).ToHaveURLAsync(new Regex("/forbidden"));
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to this page" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Tenant_switcher_shows_the_current_workspace()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));

        await ui.Page.GetByTestId("tenant-switcher").ClickAsync();

        await Expect(ui.Page.GetByRole(AriaRole.Menuitem, new() { Name = $"Tenant {host.Tenant.Slug}" })).ToBeVisibleAsync();
        ui.Problems.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/lib/htmx.min.js")]
    [InlineData("/lib/alpine-csp.min.js")]
    [InlineData("/js/app.js")]
    [InlineData("/css/app.css")]
    [InlineData("/css/components.css")]
    public async Task Static_assets_are_served(string path)
    {
        using var client = host.CreateClient();

        var response = await client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
