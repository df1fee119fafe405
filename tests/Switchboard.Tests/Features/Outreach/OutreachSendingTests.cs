using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Switchboard.Features.Mailboxes;
using Switchboard.Features.Outreach;
using Switchboard.Platform.Database;
using Switchboard.Testing;
using Switchboard.Tests.Features.Mailboxes;

namespace Switchboard.Tests.Features.Outreach;

/// <summary>The sender: exactly once with the fixed Message-ID, unsubscribe headers, caps, suppressions, SMTP errors, in-doubt rows.</summary>
public sealed class OutreachSendingTests(OutreachHost host) : IClassFixture<OutreachHost>
{
    [Fact]
    public async Task A_queued_email_is_sent_once_with_its_Message_ID_and_unsubscribe_headers_and_is_stored_and_told()
    {
        var (mailbox, address) = await host.MailboxAsync();
        var to = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(await host.As("admin"), to);
        var row = (await host.EnqueueAsync(mailbox, [to], "Intro")).Single();

        await host.DrainAsync();

        var received = host.Smtp(address).Received.Where(m => m.To.Mailboxes.Any(a => a.Address == to)).ToList();
        received.Count.ShouldBe(1);
        var message = received[0];
        message.MessageId.ShouldBe(row.MessageId);
        var unsubscribe = message.Headers["List-Unsubscribe"]!;
        unsubscribe.ShouldMatch($@"^<http://127\.0\.0\.1:\d+/u/[A-Za-z0-9_-]+>, <mailto:{Regex.Escape(address)}\?subject=unsubscribe>$");
        message.Headers["List-Unsubscribe-Post"].ShouldBe("List-Unsubscribe=One-Click");
        var link = Regex.Match(unsubscribe, "<(http[^>]+)>").Groups[1].Value;
        message.TextBody!.ShouldContain($"unsubscribe: {link}");
        message.HtmlBody!.ShouldContain("unsubscribe</a>");
        var sent = await host.RowAsync(row.Id);
        sent.Status.ShouldBe(OutboundEmailStatus.Sent);
        sent.Attempts.ShouldBe(1);
        sent.EmailId.ShouldNotBeNull();
        host.Outcomes.For(row.Id).Select(t => t.Status).ShouldBe([OutboundEmailStatus.Sent]);
        (await host.Imap.MessageIdsAsync(address, MailboxHost.ImapPassword, "Sent")).ShouldContain(row.MessageId);
        (await MailboxHost.EmailsOnTimelineAsync(await host.As("admin"), "lead", lead)).Count.ShouldBe(1);
        await host.DrainAsync();
        host.Smtp(address).Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_eleventh_email_in_a_minute_waits_instead_of_failing()
    {
        var (mailbox, address) = await host.MailboxAsync();
        var rows = await host.EnqueueAsync(mailbox, OutreachHost.Recipients(11));

        await host.DrainAsync();

        host.Smtp(address).Received.Count.ShouldBe(10);
        var all = await Task.WhenAll(rows.Select(r => host.RowAsync(r.Id)));
        all.Count(r => r.Status == OutboundEmailStatus.Sent).ShouldBe(10);
        var waiting = all.Single(r => r.Status != OutboundEmailStatus.Sent);
        waiting.Status.ShouldBe(OutboundEmailStatus.Queued);
        waiting.NotBefore.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddSeconds(30));
        waiting.NotBefore.ShouldBeLessThanOrEqualTo(all.Where(r => r.SentAt is not null).Min(r => r.SentAt!.Value).AddMinutes(1).AddSeconds(1));
    }

    [Fact]
    public async Task The_daily_cap_holds_emails_past_it_until_the_rolling_24_hours_free_a_place()
    {
        var (mailbox, address) = await host.MailboxAsync();
        var admin = await host.As("admin");
        var caps = await admin.PutAsJsonAsync($"/api/v1/mailboxes/{mailbox}/outreach", new { perMinute = 100, perDay = 3 });
        caps.StatusCode.ShouldBe(HttpStatusCode.OK, await caps.Content.ReadAsStringAsync());
        var rows = await host.EnqueueAsync(mailbox, OutreachHost.Recipients(5));

        await host.DrainAsync();

        host.Smtp(address).Received.Count.ShouldBe(3);
        var all = await Task.WhenAll(rows.Select(r => host.RowAsync(r.Id)));
        var waiting = all.Where(r => r.Status == OutboundEmailStatus.Queued).ToList();
        waiting.Count.ShouldBe(2);
        waiting.ShouldAllBe(r => r.NotBefore > DateTimeOffset.UtcNow.AddHours(23));
        var view = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/mailboxes/{mailbox}/outreach");
        view.GetProperty("perDay").GetInt32().ShouldBe(3);
        view.GetProperty("sentLastDay").GetInt32().ShouldBe(3);
        view.GetProperty("queued").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Six_workers_sending_at_once_do_not_exceed_the_minute_cap()
    {
        var (mailbox, address) = await host.MailboxAsync();
        (await (await host.As("admin")).PutAsJsonAsync($"/api/v1/mailboxes/{mailbox}/outreach", new { perMinute = 5 })).EnsureSuccessStatusCode();
        var rows = await host.EnqueueAsync(mailbox, OutreachHost.Recipients(20));

        await host.DrainAsync(workers: 6);

        host.Smtp(address).Received.Count.ShouldBe(5);
        var all = await Task.WhenAll(rows.Select(r => host.RowAsync(r.Id)));
        all.Count(r => r.Status == OutboundEmailStatus.Sent).ShouldBe(5);
        all.Count(r => r.Status == OutboundEmailStatus.Queued).ShouldBe(15);
    }

    [Fact]
    public async Task A_suppressed_address_is_not_sent_and_the_observers_hear_suppressed()
    {
        var (mailbox, address) = await host.MailboxAsync();
        var to = MailboxHost.Unique("gone");
        var manager = await host.As("manager");
        (await manager.PostAsJsonAsync("/api/v1/suppressions", new { address = to.ToUpperInvariant(), note = "asked by phone" })).EnsureSuccessStatusCode();
        var row = (await host.EnqueueAsync(mailbox, [to])).Single();

        await host.DrainAsync();

        host.Smtp(address).Received.ShouldBeEmpty();
        (await host.RowAsync(row.Id)).Status.ShouldBe(OutboundEmailStatus.Suppressed);
        host.Outcomes.For(row.Id).Select(t => t.Status).ShouldBe([OutboundEmailStatus.Suppressed]);
    }

    [Fact]
    public async Task A_permanent_refusal_fails_the_email_and_a_451_is_retried_later()
    {
        var refused = MailboxHost.Unique("refused");
        var (mailbox, address) = await host.MailboxAsync(new TestSmtpOptions { RefusedRecipients = [refused] });
        var failed = (await host.EnqueueAsync(mailbox, [refused])).Single();
        await host.DrainAsync();
        var row = await host.RowAsync(failed.Id);
        row.Status.ShouldBe(OutboundEmailStatus.Failed);
        row.Error!.ShouldContain("550");
        host.Outcomes.For(failed.Id).Select(t => t.Status).ShouldBe([OutboundEmailStatus.Failed]);

        host.Smtp(address).DeferNext = 1;
        var deferred = (await host.EnqueueAsync(mailbox, [MailboxHost.Unique("later")])).Single();
        await host.DrainAsync();
        row = await host.RowAsync(deferred.Id);
        row.Status.ShouldBe(OutboundEmailStatus.Queued);
        row.Attempts.ShouldBe(1);
        row.NotBefore.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddSeconds(20));
        host.Outcomes.For(deferred.Id).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_row_left_sending_whose_message_is_in_the_Sent_folder_is_marked_sent_without_sending_again()
    {
        var (mailbox, address) = await host.MailboxAsync();
        var to = MailboxHost.Unique("doubt");
        var row = (await host.EnqueueAsync(mailbox, [to])).Single();
        await LeaveInDoubtAsync(row.Id);
        var copy = TestImapServer.Message(address, to, "Hello", "Hi, this is Hello.", messageId: row.MessageId);
        await host.Imap.AppendAsync(address, MailboxHost.ImapPassword, copy, "Sent");

        await host.DrainAsync();

        host.Smtp(address).Received.ShouldBeEmpty();
        var resolved = await host.RowAsync(row.Id);
        resolved.Status.ShouldBe(OutboundEmailStatus.Sent);
        resolved.EmailId.ShouldNotBeNull();
        host.Outcomes.For(row.Id).Select(t => t.Status).ShouldBe([OutboundEmailStatus.Sent]);
    }

    [Fact]
    public async Task A_row_left_sending_whose_message_is_nowhere_is_sent_again_with_the_same_Message_ID()
    {
        var (mailbox, address) = await host.MailboxAsync();
        var row = (await host.EnqueueAsync(mailbox, [MailboxHost.Unique("doubt")])).Single();
        await LeaveInDoubtAsync(row.Id);

        await host.DrainAsync();

        host.Smtp(address).Received.Single().MessageId.ShouldBe(row.MessageId);
        (await host.RowAsync(row.Id)).Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task A_row_left_sending_after_the_SMTP_server_accepted_it_is_saved_to_Sent_and_marked_sent_without_sending_again()
    {
        var (mailbox, address) = await host.MailboxAsync();
        var row = (await host.EnqueueAsync(mailbox, [MailboxHost.Unique("accepted")])).Single();
        await LeaveInDoubtAsync(row.Id, accepted: true);

        await host.DrainAsync();

        host.Smtp(address).Received.ShouldBeEmpty();
        var resolved = await host.RowAsync(row.Id);
        resolved.Status.ShouldBe(OutboundEmailStatus.Sent);
        resolved.EmailId.ShouldNotBeNull();
        (await host.Imap.MessageIdsAsync(address, MailboxHost.ImapPassword, "Sent")).ShouldContain(row.MessageId);
    }

    [Fact]
    public async Task A_row_being_sent_under_a_live_lease_is_left_alone()
    {
        var (mailbox, address) = await host.MailboxAsync();
        var row = (await host.EnqueueAsync(mailbox, [MailboxHost.Unique("busy")])).Single();
        await LeaveInDoubtAsync(row.Id, DateTimeOffset.UtcNow.AddMinutes(5));

        await host.DrainAsync();

        host.Smtp(address).Received.ShouldBeEmpty();
        (await host.RowAsync(row.Id)).Status.ShouldBe(OutboundEmailStatus.Sending);
    }

    private Task LeaveInDoubtAsync(Guid id, DateTimeOffset? lockedUntil = null, bool accepted = false) => host.InTenantAsync(async services =>
    {
        var db = services.GetRequiredService<SwitchboardDbContext>();
        var until = lockedUntil ?? DateTimeOffset.UtcNow.AddMinutes(-1);
        DateTimeOffset? acceptedAt = accepted ? DateTimeOffset.UtcNow.AddMinutes(-2) : null;
        return await db.Set<OutboundEmail>().Where(o => o.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Status, OutboundEmailStatus.Sending).SetProperty(o => o.Attempts, 1).SetProperty(o => o.SmtpAcceptedAt, acceptedAt)
            .SetProperty(o => o.LockedBy, "a-dead-worker").SetProperty(o => o.LockedUntil, until));
    });
}
