using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Switchboard.Features.Outreach;
using Switchboard.Platform.Database;
using Switchboard.Testing;
using Switchboard.Tests.Features.Mailboxes;

namespace Switchboard.Tests.Features.Outreach;

/// <summary>Delivery status notifications arriving in the sending mailbox, and the hard-bounce auto-pause.</summary>
public sealed class OutreachBounceTests(OutreachHost host) : IClassFixture<OutreachHost>
{
    [Fact]
    public async Task A_hard_bounce_report_sets_BouncedAt_suppresses_the_address_and_tells_the_observers()
    {
        var (mailbox, address) = await host.MailboxAsync();
        var to = MailboxHost.Unique("unknown");
        var row = (await host.EnqueueAsync(mailbox, [to])).Single();
        await host.DrainAsync();

        await ReportAsync(mailbox, address, to, row.MessageId, "failed", "5.1.1");

        var bounced = await Eventually.Until(() => host.RowAsync(row.Id), r => r.BouncedAt is not null, Eventually.DefaultTimeout, "the hard bounce");
        bounced.BounceKind.ShouldBe("hard");
        bounced.BounceStatus.ShouldBe("5.1.1");
        var suppression = (await host.SuppressionAsync(to))!;
        suppression.Reason.ShouldBe(SuppressionReasons.Bounced);
        suppression.OutboundEmailId.ShouldBe(row.Id);
        host.Outcomes.For(row.Id).ShouldContain(t => t.Status == OutboundEmailStatus.Sent && t.BouncedAt != null);
    }

    [Fact]
    public async Task A_soft_bounce_report_is_recorded_without_suppressing_the_address()
    {
        var (mailbox, address) = await host.MailboxAsync();
        var to = MailboxHost.Unique("full");
        var row = (await host.EnqueueAsync(mailbox, [to])).Single();
        await host.DrainAsync();

        await ReportAsync(mailbox, address, to, row.MessageId, "delayed", "4.2.2");

        var soft = await Eventually.Until(() => host.RowAsync(row.Id), r => r.BounceKind is not null, Eventually.DefaultTimeout, "the soft bounce");
        soft.BounceKind.ShouldBe("soft");
        soft.BounceStatus.ShouldBe("4.2.2");
        soft.BouncedAt.ShouldBeNull();
        (await host.SuppressionAsync(to)).ShouldBeNull();
        host.Outcomes.For(row.Id).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_mailbox_whose_hard_bounces_pass_five_percent_of_its_last_200_sends_pauses_until_an_admin_resumes_it()
    {
        var (mailbox, address) = await host.MailboxAsync();
        await SeedSentAsync(mailbox, sent: 198, bounced: 9);
        var rows = await host.EnqueueAsync(mailbox, OutreachHost.Recipients(2));
        await host.DrainAsync();

        // 10 of 200: exactly 5 %, not above it.
        await ReportAsync(mailbox, address, rows[0].ToAddress, rows[0].MessageId, "failed", "5.1.1");
        await Eventually.Until(() => host.RowAsync(rows[0].Id), r => r.BouncedAt is not null, Eventually.DefaultTimeout, "the first bounce");
        var admin = await host.As("admin");
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/mailboxes/{mailbox}/outreach")).GetProperty("pausedAt").ValueKind.ShouldBe(JsonValueKind.Null);

        // 11 of 200: above.
        await ReportAsync(mailbox, address, rows[1].ToAddress, rows[1].MessageId, "failed", "5.1.1");
        var paused = await Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/mailboxes/{mailbox}/outreach"),
            v => v.GetProperty("pausedAt").ValueKind != JsonValueKind.Null, Eventually.DefaultTimeout, "the pause");
        paused.GetProperty("pausedReason").GetString()!.ShouldContain("11 of the last 200");
        (await host.InTenantAsync(services => services.GetRequiredService<SwitchboardDbContext>().Set<Switchboard.Platform.Email.OutboundEmail>()
            .AnyAsync(e => e.Template == "outreach-paused"))).ShouldBeTrue();

        var waiting = (await host.EnqueueAsync(mailbox, [MailboxHost.Unique("waits")])).Single();
        await host.DrainAsync();
        (await host.RowAsync(waiting.Id)).Status.ShouldBe(OutboundEmailStatus.Queued);
        var received = host.Smtp(address).Received.Count;

        (await (await host.As("manager")).PostAsync($"/api/v1/mailboxes/{mailbox}/outreach/resume", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var resumed = await admin.PostAsync($"/api/v1/mailboxes/{mailbox}/outreach/resume", null);
        resumed.StatusCode.ShouldBe(HttpStatusCode.OK, await resumed.Content.ReadAsStringAsync());
        await host.DrainAsync();
        (await host.RowAsync(waiting.Id)).Status.ShouldBe(OutboundEmailStatus.Sent);
        host.Smtp(address).Received.Count.ShouldBe(received + 1);
    }

    /// <summary>Earlier sends of the mailbox, written directly (an hour ago, so they are outside the minute cap).</summary>
    private Task SeedSentAsync(Guid mailbox, int sent, int bounced) => host.InTenantAsync(async services =>
    {
        var db = services.GetRequiredService<SwitchboardDbContext>();
        var tenantId = host.Tenant.Id;
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < sent; i++)
            db.Add(new OutboundEmail
            {
                TenantId = tenantId, Id = Guid.CreateVersion7(), IdempotencyKey = $"seed:{Guid.NewGuid()}", Source = OutboundEmailSources.Campaign, SourceId = Guid.NewGuid(),
                MailboxId = mailbox, ToAddress = $"seed{i}@example.test", Subject = "Earlier", TextBody = "Earlier", Status = OutboundEmailStatus.Sent,
                NotBefore = at, Attempts = 1, MessageId = $"seed-{Guid.NewGuid():N}@example.test", CreatedAt = at, SentAt = at.AddSeconds(i),
                BouncedAt = i < bounced ? at.AddMinutes(5) : null, BounceKind = i < bounced ? "hard" : null,
            });
        return await db.SaveChangesAsync();
    });

    private async Task ReportAsync(Guid mailbox, string address, string to, string messageId, string action, string status)
    {
        var raw = $"""
            From: Mail Delivery System <MAILER-DAEMON@mx.example.test>
            To: {address}
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <dsn-{Guid.NewGuid():N}@mx.example.test>
            Date: {DateTimeOffset.UtcNow:R}
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="REPORT"

            --REPORT
            Content-Type: text/plain

            This is the mail system at mx.example.test. Your message could not be delivered.

            --REPORT
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.test

            Final-Recipient: rfc822; {to}
            Action: {action}
            Status: {status}
            Diagnostic-Code: smtp; 550 {status} mailbox problem

            --REPORT
            Content-Type: text/rfc822-headers

            From: {address}
            To: {to}
            Subject: Hello
            Message-ID: <{messageId}>

            --REPORT--

            """.ReplaceLineEndings("\r\n");
        var message = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw)));
        await host.Imap.AppendAsync(address, MailboxHost.ImapPassword, message);
        await MailboxHost.SyncAsync(await host.As("admin"), mailbox);
    }
}
