using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// Passkeys in a browser (issue 12 §4, ADR 0050) with Chromium's virtual authenticator (DevTools protocol, WebAuthn
/// domain): a platform authenticator with resident keys and user verification that consents by itself.
/// </summary>
public sealed class PasskeyPagesTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static readonly System.Text.RegularExpressions.Regex Home = new("^[^?#]*/$");

    // A ceremony is a fetch, the authenticator and a form post: on a busy machine that can take longer than the
    // default 5 s of an expectation (a deadline to poll within, not a timing assertion).
    private const float Ceremony = 30_000;

    [Fact]
    public async Task Enrol_a_passkey_on_the_profile_then_sign_in_with_password_and_passkey_and_then_with_the_passkey_alone()
    {
        var tenant = await host.CreateTenantAsync("pk-ui");
        await using var ui = await host.OpenOnLocalhostAsync();
        await AddVirtualAuthenticatorAsync(ui);
        await ui.SignInAsync(tenant.Email("agent"));

        await ui.Page.GotoAsync("/profile/two-factor");
        await ui.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Test laptop <Touch ID>");
        await ui.Page.GetByTestId("passkey-add").ClickAsync();
        await Expect(ui.Page.GetByTestId("recovery-codes")).ToContainTextAsync("shown only this once", new() { Timeout = Ceremony });
        await Expect(ui.Page.GetByTestId("passkey-row")).ToContainTextAsync("Test laptop <Touch ID>");
        await ui.Page.GotoAsync("/profile/two-factor");
        await Expect(ui.Page.GetByTestId("passkey-row")).ToHaveCountAsync(1);
        await ui.ScreenshotAsync("profile-passkeys.png");

        await SignOutAsync(ui);
        await ui.Page.GetByLabel("Email", new() { Exact = true }).FillAsync(tenant.Email("agent"));
        await ui.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(BrowserHost.Password);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(ui.Page.GetByTestId("second-factor-passkey")).ToBeVisibleAsync();
        await ui.Page.WaitForLoadStateAsync(LoadState.Load);
        await ui.ScreenshotAsync("signin-second-factor-passkey.png");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(Home, new() { Timeout = Ceremony });

        await SignOutAsync(ui);
        await ui.Page.WaitForLoadStateAsync(LoadState.Load);
        await ui.ScreenshotAsync("signin-passkey.png");
        await ui.Page.GetByTestId("passkey-signin").ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(Home, new() { Timeout = Ceremony });
        await ui.Page.GotoAsync("/profile/two-factor");
        await Expect(ui.Page.GetByTestId("passkey-row")).Not.ToContainTextAsync("Never", new() { Timeout = 5000 });
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_a_passkey_on_the_device_the_sign_in_page_says_so()
    {
        await using var ui = await host.OpenOnLocalhostAsync();
        await AddVirtualAuthenticatorAsync(ui);

        await ui.Page.GotoAsync("/signin");
        await ui.Page.WaitForLoadStateAsync(LoadState.Load);
        await ui.Page.GetByTestId("passkey-signin").ClickAsync();

        await Expect(ui.Page.Locator(".form-passkey [data-passkey-error]")).ToContainTextAsync("no passkey for this site was found", new() { Timeout = Ceremony });
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin$"));
    }

    /// <summary>Chromium's virtual authenticator for the page: CTAP2, built in (internal), resident keys, user verification, automatic consent.</summary>
    private static async Task AddVirtualAuthenticatorAsync(UiSession ui)
    {
        var cdp = await ui.Context.NewCDPSessionAsync(ui.Page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true, ["hasUserVerification"] = true,
                ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });
    }

    private static async Task SignOutAsync(UiSession ui)
    {
        await ui.Page.GetByTestId("user-menu").ClickAsync();
        await ui.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Sign out" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
    }
}
