using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

public sealed class SignInTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Wrong_password_shows_an_error_and_stays_on_the_sign_in_page()
    {
        await using var ui = await host.OpenAsync();
        await ui.Page.GotoAsync("/signin");

        await ui.Page.GetByLabel("Email", new() { Exact = true }).FillAsync(host.Tenant.Email("agent"));
        await ui.Page.GetByLabel("Password", new() { Exact = true }).FillAsync("not-the-password-1");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await Expect(ui.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The email or password is incorrect.");
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/signin"));
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Signing_in_lands_on_the_home_page_and_the_page_asked_for_wins()
    {
        await using (var ui = await host.OpenAsync())
        {
            await ui.SignInAsync(host.Tenant.Email("agent"));

            await Expect(ui.Page).ToHaveURLAsync(new Regex("^[^?]*/$"));
            await Expect(ui.Page.GetByTestId("home-today")).ToBeVisibleAsync();
            await Expect(ui.Page.GetByTestId("nav-home")).ToHaveAttributeAsync("aria-current", "page");
        }

        await using var returning = await host.OpenAsync();
        await returning.Page.GotoAsync("/contacts");
        await returning.Page.GetByLabel("Email", new() { Exact = true }).FillAsync(host.Tenant.Email("agent"));
        await returning.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(BrowserHost.Password);
        await returning.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await Expect(returning.Page).ToHaveURLAsync(new Regex("/contacts$"));
        returning.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Pages_need_a_signed_in_user()
    {
        await using var ui = await host.OpenAsync();

        await ui.Page.GotoAsync("/leads");

        await Expect(ui.Page).ToHaveURLAsync(new Regex("/signin\\?ReturnUrl=%2Fleads"));
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Signing_out_returns_to_the_sign_in_page_and_ends_the_session()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));

        await ui.Page.GetByTestId("user-menu").ClickAsync();
        await ui.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Sign out" }).ClickAsync();

        await Expect(ui.Page).ToHaveURLAsync(new Regex("/signin$"));
        await ui.Page.GotoAsync("/leads");
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/signin"));
    }
}
