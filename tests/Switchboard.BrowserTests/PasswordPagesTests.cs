using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The browser host with a real SMTP server on loopback, so a test can open the links the app emails.</summary>
public sealed class MailBrowserHost : BrowserHost
{
    public TestSmtpServer Smtp { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => Smtp.Settings();

    public override async Task InitializeAsync()
    {
        Smtp = await TestSmtpServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>"Forgot password?" from the sign-in page to a new password, and the profile's password and email sections, in Chromium.</summary>
public sealed class PasswordPagesTests(MailBrowserHost host) : IClassFixture<MailBrowserHost>
{
    private const string NewPassword = "Brand-new-password-2";

    [Fact]
    public async Task Forgot_password_from_the_sign_in_page_through_the_emailed_link_to_signing_in_with_the_new_password()
    {
        var email = await NewAccountAsync();
        await using var ui = await host.OpenAsync();

        await ui.Page.GotoAsync("/signin");
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Forgot password?" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/forgot-password$"));
        await ScreenshotAsync(ui.Page, "forgot-password.png");
        await ui.Page.GetByLabel("Email").FillAsync(email);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Send the link" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("forgot-sent")).ToContainTextAsync("If an account exists for that address, we sent it a link");
        await ScreenshotAsync(ui.Page, "forgot-password-sent.png");

        await ui.Page.GotoAsync(await host.Smtp.LinkAsync(email, "/reset-password"));
        await ui.Page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await ui.Page.GetByLabel("Confirm new password").FillAsync("Something-else-1");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(ui.Page.Locator("#confirm-error")).ToHaveTextAsync("The two passwords are not the same.");
        await ScreenshotAsync(ui.Page, "reset-password.png");
        await ui.Page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await ui.Page.GetByLabel("Confirm new password").FillAsync(NewPassword);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();

        await Expect(ui.Page).ToHaveURLAsync(new Regex("/signin$"));
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Your password was changed; sign in with it.");
        await ScreenshotAsync(ui.Page, "signin-after-reset.png");
        await ui.SignInAsync(email, NewPassword);
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_profile_changes_the_password_and_asks_the_new_address_to_confirm_an_email_change()
    {
        var email = await NewAccountAsync();
        var newEmail = $"moved-{Guid.NewGuid():N}@example.test";
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(email);
        await ui.Page.GotoAsync("/profile");

        var password = ui.Page.GetByTestId("password-form");
        await password.GetByLabel("Current password").FillAsync("Not-the-password-1");
        await password.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await password.GetByLabel("Confirm new password").FillAsync(NewPassword);
        await password.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(ui.Page.Locator("#currentPassword-error")).ToHaveTextAsync("The current password is incorrect.");
        await ScreenshotAsync(ui.Page, "profile-password-error.png");
        password = ui.Page.GetByTestId("password-form");
        await password.GetByLabel("Current password").FillAsync(BrowserHost.Password);
        await password.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await password.GetByLabel("Confirm new password").FillAsync(NewPassword);
        await password.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Your password was changed.");

        var change = ui.Page.GetByTestId("email-form");
        await change.GetByLabel("New email").FillAsync(newEmail);
        await change.GetByLabel("Current password").FillAsync(NewPassword);
        await change.GetByRole(AriaRole.Button, new() { Name = "Send confirmation link" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync($"We sent a link to {newEmail}.");
        await ScreenshotAsync(ui.Page, "profile.png");

        await ui.Page.GotoAsync(await host.Smtp.LinkAsync(newEmail, "/confirm-email"));
        await Expect(ui.Page.GetByTestId("confirm-address")).ToHaveTextAsync(newEmail);
        await ScreenshotAsync(ui.Page, "confirm-email.png");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Confirm the new address" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/profile$"));
        await Expect(ui.Page.GetByTestId("profile-email")).ToHaveTextAsync(newEmail);
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_invited_person_opens_the_emailed_link_creates_their_account_and_lands_in_the_workspace()
    {
        var email = $"invitee-{Guid.NewGuid():N}@example.test";
        var admin = await host.As("admin");
        (await admin.PostAsJsonAsync("/api/v1/invitations", new { email, role = "agent" })).EnsureSuccessStatusCode();
        await using var ui = await host.OpenAsync();

        await ui.Page.GotoAsync(await host.Smtp.LinkAsync(email, "/invitations/accept"));
        await Expect(ui.Page.GetByTestId("invitation-summary")).ToContainTextAsync(email);
        await ui.Page.GetByLabel("First name").FillAsync("Grace");
        await ui.Page.GetByLabel("Last name").FillAsync("Invitee");
        await ui.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(NewPassword);
        await ui.Page.GetByLabel("Repeat the password").FillAsync(NewPassword);
        await ScreenshotAsync(ui.Page, "invitation-accept.png");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create account and join" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Welcome to");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_administrator_unlocks_a_locked_member_and_reads_the_failed_attempts()
    {
        var email = await NewAccountAsync();
        using (var anonymous = host.CreateClient())
            for (var i = 0; i < 5; i++) await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "Not-the-password-1" });
        await host.Smtp.WaitForAsync(email, m => m.Subject == "Your Switchboard account was locked");
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));

        await ui.Page.GotoAsync("/users");
        var member = ui.Page.GetByTestId("user-table").GetByRole(AriaRole.Row).Filter(new() { HasText = email });
        await Expect(member).ToContainTextAsync("Locked");
        await ScreenshotAsync(ui.Page, "users-locked.png");
        await member.GetByRole(AriaRole.Button, new() { Name = "Unlock" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync($"{email} can sign in again");
        await Expect(ui.Page.GetByTestId("user-table").GetByRole(AriaRole.Row).Filter(new() { HasText = email })).Not.ToContainTextAsync("Locked");

        await ui.Page.GotoAsync("/audit");
        await ui.Page.GetByTestId("audit-sign-ins").ClickAsync();
        await ui.Page.GetByLabel("Result").SelectOptionAsync("failed");
        var attempts = ui.Page.GetByTestId("sign-in-table").GetByRole(AriaRole.Row).Filter(new() { HasText = email });
        await Expect(attempts).ToHaveCountAsync(5);
        await Expect(attempts.First).ToContainTextAsync("Wrong password");
        await ScreenshotAsync(ui.Page, "sign-in-attempts.png");
        ui.Problems.ShouldBeEmpty();
    }

    private async Task<string> NewAccountAsync()
    {
        var email = $"person-{Guid.NewGuid():N}"[..16] + "@example.test";
        var root = await host.As("superadmin");
        (await root.PostAsJsonAsync("/api/v1/users", new { email, firstName = "Ada", lastName = "Lovelace", role = "agent", password = BrowserHost.Password }))
            .EnsureSuccessStatusCode();
        return email;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name), FullPage = true });
    }
}
