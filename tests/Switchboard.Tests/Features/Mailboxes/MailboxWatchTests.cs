using System.Net.Http.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Mailboxes;

/// <summary>With the poll an hour away, only IMAP IDLE can bring a new message onto the timeline.</summary>
public sealed class MailboxWatchTests(MailboxWatchHost host) : IClassFixture<MailboxWatchHost>
{
    [Fact]
    public async Task IDLE_brings_a_new_message_onto_the_timeline_without_waiting_for_the_poll()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var leadAddress = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(admin, leadAddress);
        var mailbox = await host.ConnectAsync(admin, me);
        await Eventually.Until(async () => (await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/mailboxes/{mailbox}")).GetProperty("status"),
            s => s.GetProperty("watched").GetBoolean() && s.GetProperty("lastSyncAt").ValueKind == System.Text.Json.JsonValueKind.String, "the watcher's first sync");

        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, TestImapServer.Message(leadAddress, me, "Arrived by IDLE", "Hello"));

        var emails = await Eventually.Until(() => MailboxHost.EmailsOnTimelineAsync(admin, "lead", lead), e => e.Count == 1, TimeSpan.FromSeconds(30), "the message on the timeline");
        emails[0].GetProperty("title").GetString()!.ShouldContain("Arrived by IDLE");
    }
}
