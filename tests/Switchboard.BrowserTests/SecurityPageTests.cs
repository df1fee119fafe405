using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The Security settings page (/settings/security): an administrator tightens the password rules and a member's profile says so.</summary>
public sealed class SecurityPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Admin_raises_the_minimum_length_after_a_mistake_and_the_profile_hint_follows()
    {
        var tenant = await host.CreateTenantAsync("secpage");
        await using var admin = await host.OpenAsync();
        await admin.SignInAsync(tenant.Email("admin"));
        await admin.Page.GetByRole(AriaRole.Link, new() { Name = "Security" }).ClickAsync();
        await Expect(admin.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings/security$"));

        await admin.Page.GetByLabel("Minimum length (characters)").FillAsync("8");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Save security settings" }).ClickAsync();
        await Expect(admin.Page.Locator("#passwordMinLength-error")).ToHaveTextAsync("Minimum password length must be 12 to 64 characters.");
        await admin.Page.GetByLabel("Minimum length (characters)").FillAsync("16");
        await admin.Page.GetByLabel("Idle timeout (minutes)").FillAsync("45");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Save security settings" }).ClickAsync();
        await Expect(admin.Page.GetByTestId("flash")).ToContainTextAsync("Security settings were saved.");
        await Expect(admin.Page.GetByLabel("Minimum length (characters)")).ToHaveValueAsync("16");
        await Expect(admin.Page.GetByLabel("Idle timeout (minutes)")).ToHaveValueAsync("45");
        await admin.ScreenshotAsync("settings-security.png");

        await using var agent = await host.OpenAsync();
        await agent.SignInAsync(tenant.Email("agent"));
        await agent.Page.GotoAsync("/profile");
        await Expect(agent.Page.Locator("#newPassword-hint")).ToContainTextAsync("At least 16 characters.");
        var password = agent.Page.GetByTestId("password-form");
        await password.GetByLabel("Current password").FillAsync(BrowserHost.Password);
        await password.GetByLabel("New password", new() { Exact = true }).FillAsync("Copper-orbit-71");
        await password.GetByLabel("Confirm new password").FillAsync("Copper-orbit-71");
        await password.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(agent.Page.Locator("#newPassword-error")).ToHaveTextAsync("Use at least 16 characters.");
        await agent.ScreenshotAsync("profile-password-policy.png");
    }
}
