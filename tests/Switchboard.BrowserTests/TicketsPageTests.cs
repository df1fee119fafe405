using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// An agent of the support inbox opens the ticket list, the ticket, and answers with the suggested reply. The mailbox host
/// (dovecot, an SMTP server) serves one shared mailbox here, made a support inbox.
/// </summary>
public sealed class TicketsPageTests(MailboxBrowserHost host) : IClassFixture<MailboxBrowserHost>
{
    [Fact]
    public async Task Admin_makes_a_support_inbox_and_an_agent_opens_its_ticket_from_the_list_and_sends_the_suggested_reply()
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            kind = "shared", name = "Help desk", address = host.Address, imapHost = "127.0.0.1", imapPort = host.Imap.Port, imapSecurity = "none",
            imapUsername = host.Address, smtpHost = "127.0.0.1", smtpPort = host.Smtp.Port, smtpSecurity = "none", password = MailboxBrowserHost.MailPassword,
            memberIds = new[] { host.Tenant.Users["agent"] },
        });
        created.EnsureSuccessStatusCode();
        var mailbox = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using (var adminUi = await host.OpenAsync())
        {
            await adminUi.SignInAsync(host.Tenant.Email("admin"));
            await adminUi.Page.GotoAsync("/settings/support");
            await adminUi.Page.GetByTestId("support-inboxes-link").ClickAsync();
            await adminUi.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Make support inbox" }).ClickAsync();
            await Expect(adminUi.Page.GetByTestId("flash")).ToContainTextAsync($"{host.Address} is a support inbox");
            await Expect(adminUi.Page.GetByTestId("support-inboxes")).ToContainTextAsync("Stop making tickets");
            await adminUi.ScreenshotAsync("support-inboxes.png");
            adminUi.Problems.ShouldBeEmpty();
        }
        const string requester = "dana.reyes@customer.example";
        var mail = TestImapServer.Message($"Dana Reyes <{requester}>", host.Address, "Refund for a double charge <script>alert(1)</script>",
            "Hello,\nmy card was charged twice for the November invoice. Could you refund one payment?\n\nThanks, Dana");
        await host.Imap.AppendAsync(host.Address, MailboxBrowserHost.MailPassword, mail);
        (await admin.PostAsync($"/api/v1/mailboxes/{mailbox}/sync", null)).EnsureSuccessStatusCode();
        await Eventually.Until(async () => (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tickets")).GetProperty("items").GetArrayLength(),
            n => n == 1, TimeSpan.FromSeconds(30), "the ticket");

        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GetByTestId("nav-tickets").ClickAsync();
        var row = ui.Page.GetByTestId("ticket-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Refund for a double charge <script>");
        await Expect(row).ToContainTextAsync("Billing", new() { IgnoreCase = true });
        await Expect(row.GetByTestId("ticket-sla")).ToContainTextAsync("due in");
        await ui.ScreenshotAsync("tickets-list.png");

        await row.GetByRole(Microsoft.Playwright.AriaRole.Link).ClickAsync();
        await Expect(ui.Page.GetByTestId("ticket-message")).ToHaveCountAsync(1);
        await Expect(ui.Page.GetByTestId("ticket-conversation")).ToContainTextAsync("charged twice for the November invoice");
        var suggested = await ui.Page.GetByTestId("suggested-reply").InnerTextAsync();
        suggested.ShouldContain("Dana");
        (await ui.Page.GetByLabel("Message").InputValueAsync()).Trim().ShouldBe(suggested.Trim());
        await ui.ScreenshotAsync("ticket-detail.png");
        await ui.Page.GetByTestId("send-reply").ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync($"Reply sent to {requester}.");
        await Expect(ui.Page.GetByTestId("ticket-message")).ToHaveCountAsync(2);
        await Expect(ui.Page.GetByTestId("ticket-status")).ToHaveTextAsync("Pending");
        var sent = await host.Smtp.WaitForAsync(requester);
        sent.Subject.ShouldStartWith("Re: [#");
        sent.InReplyTo.ShouldBe(mail.MessageId);
        await ui.ScreenshotAsync("ticket-replied.png");
        ui.Problems.ShouldBeEmpty();
    }
}
