using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>A browser host with a real dovecot and an SMTP server for one mailbox, and the mailbox watcher scanning every second.</summary>
public sealed class MailboxBrowserHost : BrowserHost
{
    public const string MailPassword = "Imap-lantern-58";
    public TestImapServer Imap { get; private set; } = null!;
    public TestSmtpServer Smtp { get; private set; } = null!;
    public string Address { get; } = $"agent-{Guid.NewGuid().ToString("N")[..6]}@example.test";

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Mailboxes:ScanSeconds"] = "1",
        ["Mailboxes:PollSeconds"] = "3600",
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

/// <summary>An agent writes to a lead from the lead's page; the lead's answer, delivered to the INBOX, arrives on the timeline by itself.</summary>
public sealed class EmailComposePageTests(MailboxBrowserHost host) : IClassFixture<MailboxBrowserHost>
{
    [Fact]
    public async Task Agent_emails_a_lead_from_its_page_and_sees_the_reply_arrive_on_its_timeline()
    {
        var agent = await host.As("agent");
        (await agent.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            name = "Agent User", address = host.Address, imapHost = "127.0.0.1", imapPort = host.Imap.Port, imapSecurity = "none", imapUsername = host.Address,
            smtpHost = "127.0.0.1", smtpPort = host.Smtp.Port, smtpSecurity = "none", password = MailboxBrowserHost.MailPassword,
        })).EnsureSuccessStatusCode();
        var leadAddress = "mara.quinn@prospect.example";
        var created = await agent.PostAsJsonAsync("/api/v1/leads", new { firstName = "Mara", lastName = "Quinn", email = leadAddress, company = "Quinn & Co" });
        created.EnsureSuccessStatusCode();
        var leadId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync($"/leads/{leadId}");

        await ui.Page.GetByTestId("email-lead").ClickAsync();
        await Expect(ui.Page.GetByLabel("To", new() { Exact = true })).ToHaveValueAsync(leadAddress);
        await ui.Page.GetByLabel("Subject", new() { Exact = true }).FillAsync("Your trial of Switchboard");
        await ui.Page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hi Mara,\nyour trial is ready. Shall we talk on Thursday?");
        await ui.ScreenshotAsync("email-compose.png");
        await ui.Page.GetByTestId("compose-send").ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Email sent.");
        var timeline = ui.Page.GetByTestId("record-timeline");
        await Expect(timeline).ToContainTextAsync("Your trial of Switchboard");
        var sent = await host.Smtp.WaitForAsync(leadAddress);
        var reply = TestImapServer.Message(leadAddress, host.Address, "Re: Your trial of Switchboard", "Thursday at 10 works for me. Mara",
            inReplyTo: sent.MessageId, references: [sent.MessageId!]);
        await host.Imap.AppendAsync(host.Address, MailboxBrowserHost.MailPassword, reply);

        await Eventually.Until(async () =>
        {
            await ui.Page.ReloadAsync();
            return await ui.Page.GetByTestId("email-body").AllInnerTextsAsync();
        }, bodies => bodies.Any(b => b.Contains("Thursday at 10 works")), TimeSpan.FromSeconds(30), "the reply on the lead's timeline");
        await ui.ScreenshotAsync("email-reply-on-timeline.png");
        await ui.Page.GetByRole(Microsoft.Playwright.AriaRole.Navigation).First.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Mailboxes" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("mailbox-row")).ToContainTextAsync(host.Address);
        await ui.ScreenshotAsync("mailboxes-settings.png");
        ui.Problems.ShouldBeEmpty();
    }
}
