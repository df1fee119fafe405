using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>Sessions on the profile (sign out one, sign out everywhere else) and an admin ending a member's sessions on the Users page, in Chromium.</summary>
public sealed class SessionPagesTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task The_profile_lists_this_session_and_another_and_signing_out_everywhere_else_ends_the_other_browser()
    {
        var email = host.Tenant.Email("agent");
        await using var laptop = await host.OpenAsync();
        await using var phone = await host.OpenAsync();
        await phone.SignInAsync(email);
        await laptop.SignInAsync(email);
        laptop.AcceptDialogs = true;

        await laptop.Page.GotoAsync("/profile");
        var rows = laptop.Page.GetByTestId("session-table").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var current = rows.Filter(new() { HasText = "This session" });
        await Expect(current).ToHaveCountAsync(1);
        await Expect(current).ToContainTextAsync(await DeviceAsync(laptop.Page));
        await Expect(current).ToContainTextAsync("127.0.0.1");
        await Expect(current.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);
        await Expect(rows.Filter(new() { HasNotText = "This session" }).GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await laptop.ScreenshotAsync("profile-sessions.png");

        await laptop.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere else" }).ClickAsync();

        await Expect(laptop.Page.GetByTestId("flash")).ToContainTextAsync("1 other session was signed out.");
        await Expect(rows).ToHaveCountAsync(1);
        await phone.Page.GotoAsync("/leads");
        await Expect(phone.Page).ToHaveURLAsync(new Regex("/signin"));
        await laptop.Page.GotoAsync("/leads");
        await Expect(laptop.Page).ToHaveURLAsync(new Regex("/leads$"));
        laptop.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Signing_out_one_session_from_the_profile_ends_that_browser_only()
    {
        var email = host.Tenant.Email("manager");
        await using var desk = await host.OpenAsync();
        await using var other = await host.OpenAsync();
        await other.SignInAsync(email);
        await desk.SignInAsync(email);

        await desk.Page.GotoAsync("/profile");
        await desk.Page.GetByTestId("session-table").Locator("tbody tr").Filter(new() { HasNotText = "This session" })
            .GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(desk.Page.GetByTestId("flash")).ToContainTextAsync($"{await DeviceAsync(other.Page)} was signed out.");
        await Expect(desk.Page.GetByTestId("session-table").Locator("tbody tr")).ToHaveCountAsync(1);
        await other.Page.GotoAsync("/");
        await Expect(other.Page).ToHaveURLAsync(new Regex("/signin"));
        desk.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_admin_ends_a_members_sessions_from_the_users_page_after_confirming()
    {
        var member = host.Tenant.Email("readonly");
        await using var memberUi = await host.OpenAsync();
        await memberUi.SignInAsync(member);
        await using var admin = await host.OpenAsync();
        await admin.SignInAsync(host.Tenant.Email("admin"));
        admin.AcceptDialogs = true;
        await admin.Page.GotoAsync("/users");

        var row = admin.Page.GetByTestId("user-table").GetByRole(AriaRole.Row).Filter(new() { HasText = member });
        await row.GetByRole(AriaRole.Button, new() { Name = "End sessions" }).ClickAsync();

        await Expect(admin.Page.GetByTestId("flash")).ToContainTextAsync($"{member} was signed out of 1 session in this workspace.");
        await admin.ScreenshotAsync("users-end-sessions.png");
        await memberUi.Page.GotoAsync("/");
        await Expect(memberUi.Page).ToHaveURLAsync(new Regex("/signin"));
        admin.Problems.ShouldBeEmpty();
    }

    /// <summary>What the sessions list calls this browser (Chromium's own user agent, read the way the app reads it).</summary>
    private static async Task<string> DeviceAsync(IPage page) =>
        Switchboard.Features.Sessions.DeviceNames.Describe(await page.EvaluateAsync<string>("navigator.userAgent"));
}
