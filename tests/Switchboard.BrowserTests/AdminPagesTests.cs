using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The administration pages post the same typed bodies as the API: members and calling rules.</summary>
public sealed class AdminPagesTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Admin_invites_someone_after_fixing_the_address_then_withdraws_it_and_deactivates_a_member()
    {
        var email = $"new-{Guid.NewGuid():N}"[..16] + "@example.com";
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/users");

        await ui.Page.GetByLabel("Email", new() { Exact = true }).FillAsync("not-an-address");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Send invitation", Exact = true }).ClickAsync();
        await Expect(ui.Page.Locator("#email-error")).Not.ToBeEmptyAsync();

        await ui.Page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await ui.Page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("manager");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Send invitation", Exact = true }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync($"An invitation was sent to {email}.");
        var invitation = ui.Page.GetByTestId("invitation-table").GetByRole(AriaRole.Row).Filter(new() { HasText = email });
        await Expect(invitation).ToContainTextAsync("Manager · invited by admin User");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "users-invitations.png"), FullPage = true });

        await invitation.GetByRole(AriaRole.Button, new() { Name = "Withdraw" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync($"The invitation to {email} was withdrawn.");

        var member = ui.Page.GetByTestId("user-table").GetByRole(AriaRole.Row).Filter(new() { HasText = host.Tenant.Email("agent2") });
        await member.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync($"{host.Tenant.Email("agent2")} was deactivated.");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_superadmin_sends_a_test_message_from_outgoing_mail_and_sees_its_status()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(Switchboard.Testing.SwitchboardHost.SuperadminEmail);
        await ui.Page.GotoAsync("/platform/mail");

        await ui.Page.GetByLabel("Send a test message to").FillAsync("ops@example.com");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("A test message to ops@example.com is on its way");
        var row = ui.Page.GetByTestId("mail-table").GetByRole(AriaRole.Row).Filter(new() { HasText = "ops@example.com" });
        await Expect(row).ToContainTextAsync("Switchboard test message");
        // No SMTP server in this host: the message fails saying so, and the page says why.
        await Expect(ui.Page.GetByTestId("smtp-missing")).ToBeVisibleAsync();
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "outgoing-mail.png"), FullPage = true });

        // The message's own page: its route, why it failed, and its body (kept while it is not sent).
        await row.GetByRole(AriaRole.Link, new() { Name = "Switchboard test message" }).ClickAsync();
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Switchboard test message");
        await Expect(ui.Page.GetByTestId("mail-error")).Not.ToBeEmptyAsync();
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } detailDir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(detailDir, "outgoing-mail-message.png"), FullPage = true });
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
