using System.Net.Http.Json;
using OtpNet;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>Two-factor sign-in in a browser (issue 12 §4, ADR 0045): enrolment on the profile, the sign-in's code step, a remembered device, the walk-through a workspace's requirement starts.</summary>
public sealed class TwoFactorPagesTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static readonly System.Text.RegularExpressions.Regex Home = new("^[^?#]*/$");

    [Fact]
    public async Task Enrol_on_the_profile_sign_in_with_a_code_and_a_remembered_device_skips_the_step_next_time()
    {
        var tenant = await host.CreateTenantAsync("mfa-ui");
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(tenant.Email("agent"));

        await ui.Page.GotoAsync("/profile");
        await ui.Page.GetByTestId("manage-two-factor").ClickAsync();
        await ui.Page.GetByTestId("mfa-start").ClickAsync();
        await Expect(ui.Page.GetByTestId("totp-qr")).ToBeVisibleAsync();
        await ui.ScreenshotAsync("profile-two-factor-setup.png");
        var secret = (await ui.Page.GetByTestId("totp-key").InnerTextAsync()).Replace(" ", "");
        await ui.Page.GetByLabel("Code from your app").FillAsync(Code(secret));
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("recovery-codes")).ToContainTextAsync("shown only this once");
        await Expect(ui.Page.Locator("#codes-text")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^([A-Z2-9]{4}-){3}[A-Z2-9]{4}(\\n([A-Z2-9]{4}-){3}[A-Z2-9]{4}){9}$"));
        await ui.ScreenshotAsync("profile-two-factor-recovery-codes.png");

        // Signed out as a browser is: away from the page first, so its live connection is not left retrying without a
        // cookie (its 401s in the console are the test's doing, not the app's).
        await ui.Page.GotoAsync("about:blank");
        await ui.Context.ClearCookiesAsync(new() { Name = "switchboard" });
        await ui.Page.GotoAsync("/signin");
        await ui.Page.GetByLabel("Email", new() { Exact = true }).FillAsync(tenant.Email("agent"));
        await ui.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(BrowserHost.Password);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(ui.Page.GetByTestId("second-factor-form")).ToBeVisibleAsync();
        await ui.Page.GetByLabel("Authentication code").FillAsync("000000" == Code(secret, 1) ? "111111" : "000000");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();
        await Expect(ui.Page.Locator("#code-error")).ToContainTextAsync("The code is incorrect.");
        await ui.ScreenshotAsync("signin-second-factor.png");
        await ui.Page.GetByLabel("Authentication code").FillAsync(Code(secret, 1));
        await ui.Page.GetByTestId("remember-device").CheckAsync();
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(Home);

        await ui.Page.GotoAsync("about:blank");
        await ui.Context.ClearCookiesAsync(new() { Name = "switchboard" });
        await ui.SignInAsync(tenant.Email("agent")); // straight home: the device is remembered
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_required_second_factor_is_offered_after_sign_in_during_grace_and_enforced_after_it()
    {
        var tenant = await host.CreateTenantAsync("mfa-grace");
        await using var admin = await host.OpenAsync();
        await admin.SignInAsync(tenant.Email("admin"));
        await admin.Page.GotoAsync("/settings/security");
        await admin.Page.GetByLabel("Required of").SelectOptionAsync("everyone");
        await admin.Page.GetByLabel("Grace period (days)").FillAsync("7");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Save security settings" }).ClickAsync();
        await Expect(admin.Page.GetByTestId("flash")).ToContainTextAsync("Security settings were saved.");
        await Expect(admin.Page.GetByLabel("Required of")).ToHaveValueAsync("everyone");
        await admin.ScreenshotAsync("settings-security-two-factor.png");

        await using var agent = await host.OpenAsync();
        await SignInToAsync(agent, tenant.Email("agent"));
        await Expect(agent.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/profile/two-factor\\?walkthrough=true$"));
        await Expect(agent.Page.GetByTestId("mfa-required")).ToContainTextAsync("Set it up by");
        await agent.Page.GetByTestId("mfa-skip").ClickAsync();
        await Expect(agent.Page).ToHaveURLAsync(Home);

        await admin.Page.GetByLabel("Grace period (days)").FillAsync("0");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Save security settings" }).ClickAsync();
        await Expect(admin.Page.GetByTestId("flash")).ToContainTextAsync("Security settings were saved.");
        await using var late = await host.OpenAsync();
        await SignInToAsync(late, tenant.Email("agent2"));
        await Expect(late.Page.GetByTestId("mfa-required")).ToContainTextAsync("Set it up now to continue");
        await Expect(late.Page.GetByTestId("mfa-skip")).ToHaveCountAsync(0);
        await late.Page.GotoAsync("/leads");
        await Expect(late.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/profile/two-factor$"));
        await late.Page.GetByTestId("mfa-start").ClickAsync();
        var secret = (await late.Page.GetByTestId("totp-key").InnerTextAsync()).Replace(" ", "");
        await late.Page.GetByLabel("Code from your app").FillAsync(Code(secret));
        await late.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await Expect(late.Page.GetByTestId("recovery-codes")).ToBeVisibleAsync();
        await late.Page.GotoAsync("/leads");
        await Expect(late.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/leads$"));
    }

    private static async Task SignInToAsync(UiSession session, string email)
    {
        await session.Page.GotoAsync("/signin");
        await session.Page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await session.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(BrowserHost.Password);
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(session.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/profile/two-factor"));
    }

    [Fact]
    public async Task An_admin_sees_who_signs_in_with_a_second_factor_and_resets_it_from_the_users_page()
    {
        var tenant = await host.CreateTenantAsync("mfa-reset");
        using (var agent = await host.LoginAsync(tenant.Email("agent")))
        {
            var enrolment = await (await agent.PostAsync("/api/v1/auth/2fa/totp", null)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            (await agent.PostAsJsonAsync("/api/v1/auth/2fa/totp/confirm", new { code = Code(enrolment.GetProperty("secret").GetString()!) })).EnsureSuccessStatusCode();
        }
        await using var admin = await host.OpenAsync();
        await admin.SignInAsync(tenant.Email("admin"));
        await admin.Page.GotoAsync("/users");
        var agentId = tenant.Users["agent"];

        await Expect(admin.Page.GetByTestId($"two-factor-{agentId}")).ToHaveTextAsync("2FA");
        await Expect(admin.Page.GetByTestId($"reset-2fa-{tenant.Users["manager"]}")).ToHaveCountAsync(0);
        await admin.ScreenshotAsync("users-two-factor.png");
        admin.AcceptDialogs = true;
        await admin.Page.GetByTestId($"reset-2fa-{agentId}").ClickAsync();
        await Expect(admin.Page.GetByTestId("flash")).ToContainTextAsync("Two-factor sign-in of " + tenant.Email("agent") + " was reset");
        await Expect(admin.Page.GetByTestId($"two-factor-{agentId}")).ToHaveCountAsync(0);
        admin.Problems.ShouldBeEmpty();
    }

    private static string Code(string secret, int steps = 0) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * steps));
}
