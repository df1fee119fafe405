using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

public sealed class SettingsTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Admin_saves_Twilio_settings_and_the_auth_token_is_only_ever_shown_as_set()
    {
        const string token = "tok-3f9c1b7e5a2d4c6e8f0a1b2c3d4e5f60";
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/settings/telephony");
        var twilio = ui.Page.GetByTestId("provider-twilio");
        await Expect(twilio.GetByTestId("secret-authToken")).ToHaveTextAsync("Not set");

        await twilio.GetByLabel("Account SID").FillAsync("AC0123456789abcdef0123456789abcdef");
        await twilio.GetByLabel("Auth token").FillAsync(token);
        await twilio.GetByLabel("Caller ID").FillAsync("(212) 555-0100");
        await twilio.GetByRole(AriaRole.Button, new() { Name = "Save Twilio" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Twilio settings were saved.");
        await Expect(twilio.GetByTestId("secret-authToken")).ToHaveTextAsync("Set");
        await Expect(twilio.GetByLabel("Caller ID")).ToHaveValueAsync("+12125550100");
        await Expect(twilio.GetByLabel("Auth token")).ToHaveValueAsync("");
        (await ui.Page.ContentAsync()).ShouldNotContain(token);
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Agent_cannot_open_the_telephony_settings()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));

        await ui.Page.GotoAsync("/settings/telephony");

        await Expect(ui.Page).ToHaveURLAsync(new Regex("/forbidden"));
    }

    [Fact]
    public async Task Admin_adds_a_number_to_the_do_not_call_list_and_sees_it_listed()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/settings/dnc");

        await ui.Page.GetByLabel("Phone number").FillAsync("(212) 555-0199");
        await ui.Page.GetByLabel("Reason (optional)").FillAsync("Asked not to be called");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Add to list" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("is on the do-not-call list");
        var row = ui.Page.GetByTestId("dnc-table").GetByRole(AriaRole.Row).Filter(new() { HasText = "+12125550199" });
        await Expect(row).ToContainTextAsync("Asked not to be called");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Admin_sets_the_longest_wrap_up_and_a_value_out_of_range_is_named_at_its_field()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/settings/calling");
        var wrapUp = ui.Page.GetByLabel("Longest wrap-up after a call (seconds)");
        await Expect(wrapUp).ToHaveValueAsync("120");

        await wrapUp.FillAsync("5");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save calling rules" }).ClickAsync();

        await Expect(ui.Page.Locator("#wrapUpMaxSeconds-error")).ToHaveTextAsync("Longest wrap-up after a call must be between 10 and 3600 seconds.");
        await Expect(wrapUp).ToHaveAttributeAsync("aria-invalid", "true");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "calling-rules-wrap-up.png"), FullPage = true });

        await wrapUp.FillAsync("90");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save calling rules" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Calling rules were saved.");
        await Expect(wrapUp).ToHaveValueAsync("90");
        ui.Problems.ShouldBeEmpty();
    }
}
