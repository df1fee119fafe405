using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>A browser host with a real dovecot and an SMTP server for one shared support inbox, and quick job polling.</summary>
public sealed class TicketsBrowserHost : BrowserHost
{
    public const string MailPassword = "Imap-lantern-58";
    public TestImapServer Imap { get; private set; } = null!;
    public TestSmtpServer Smtp { get; private set; } = null!;
    public string Address { get; } = $"help-{Guid.NewGuid().ToString("N")[..6]}@example.test";

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Mailboxes:WatchEnabled"] = "false",
        ["Jobs:PollSeconds"] = "0.2",
    };

    public override async Task InitializeAsync()
    {
        Imap = await TestImapServer.StartAsync();
        await Imap.AddUserAsync(Address, MailPassword);
        Smtp = await TestSmtpServer.StartAsync(new TestSmtpOptions(Address, MailPassword));
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        await Imap.DisposeAsync();
    }
}

/// <summary>An agent of the support inbox opens the ticket list, the ticket, and answers with the suggested reply.</summary>
public sealed class TicketsPageTests(TicketsBrowserHost host) : IClassFixture<TicketsBrowserHost>
{
    [Fact]
    public async Task Agent_opens_a_ticket_from_the_list_and_sends_the_suggested_reply()
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            kind = "shared", name = "Help desk", address = host.Address, imapHost = "127.0.0.1", imapPort = host.Imap.Port, imapSecurity = "none",
            imapUsername = host.Address, smtpHost = "127.0.0.1", smtpPort = host.Smtp.Port, smtpSecurity = "none", password = TicketsBrowserHost.MailPassword,
            memberIds = new[] { host.Tenant.Users["agent"] },
        });
        created.EnsureSuccessStatusCode();
        var mailbox = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PutAsJsonAsync($"/api/v1/support/inboxes/{mailbox}", new { since = DateTimeOffset.UtcNow.AddMinutes(-1) })).EnsureSuccessStatusCode();
        const string requester = "dana.reyes@customer.example";
        var mail = TestImapServer.Message($"Dana Reyes <{requester}>", host.Address, "Refund for a double charge <script>alert(1)</script>",
            "Hello,\nmy card was charged twice for the November invoice. Could you refund one payment?\n\nThanks, Dana");
        await host.Imap.AppendAsync(host.Address, TicketsBrowserHost.MailPassword, mail);
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
