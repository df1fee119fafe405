using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Mailboxes;

/// <summary>Threads follow Message-ID / In-Reply-To / References, scoped to the counterparty.</summary>
public sealed class EmailThreadingTests(MailboxHost host) : IClassFixture<MailboxHost>
{
    [Fact]
    public async Task A_reply_with_a_changed_subject_stays_in_its_thread()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var mailbox = await host.ConnectAsync(admin, me);
        var leadAddress = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(admin, leadAddress);
        var first = TestImapServer.Message(me, leadAddress, "Demo next week", "Does Tuesday work?");
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, first, "Sent");
        var reply = TestImapServer.Message(leadAddress, me, "Changed: budget numbers", "Tuesday works; here are numbers.",
            inReplyTo: first.MessageId, references: [first.MessageId!]);
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, reply);
        var unrelated = TestImapServer.Message(leadAddress, me, "Demo next week", "A new conversation with the same subject.");
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, unrelated);

        await MailboxHost.SyncAsync(admin, mailbox);

        var threads = await ThreadsAsync(admin, "lead", lead);
        threads[$"<{first.MessageId}>"].ShouldBe(threads[$"<{reply.MessageId}>"]);
        threads[$"<{unrelated.MessageId}>"].ShouldNotBe(threads[$"<{first.MessageId}>"]);
    }

    [Fact]
    public async Task Two_people_replying_to_one_newsletter_form_two_threads()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var mailbox = await host.ConnectAsync(admin, me);
        var ann = MailboxHost.Unique("ann");
        var bob = MailboxHost.Unique("bob");
        var annLead = await MailboxHost.LeadAsync(admin, ann, "Ann");
        var bobLead = await MailboxHost.LeadAsync(admin, bob, "Bob");
        var newsletter = TestImapServer.Message(me, ann, "November news", "News for everyone.", cc: bob);
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, newsletter, "Sent");
        var fromAnn = TestImapServer.Message(ann, me, "Re: November news", "Interested!", inReplyTo: newsletter.MessageId, references: [newsletter.MessageId!]);
        var fromBob = TestImapServer.Message(bob, me, "Re: November news", "Unsubscribe me.", inReplyTo: newsletter.MessageId, references: [newsletter.MessageId!]);
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, fromAnn);
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, fromBob);

        await MailboxHost.SyncAsync(admin, mailbox);

        var annThreads = await ThreadsAsync(admin, "lead", annLead);
        var bobThreads = await ThreadsAsync(admin, "lead", bobLead);
        annThreads[$"<{fromAnn.MessageId}>"].ShouldBe(annThreads[$"<{newsletter.MessageId}>"]);
        bobThreads[$"<{fromBob.MessageId}>"].ShouldBe(bobThreads[$"<{newsletter.MessageId}>"]);
        annThreads[$"<{fromAnn.MessageId}>"].ShouldNotBe(bobThreads[$"<{fromBob.MessageId}>"]);
        annThreads.ShouldNotContainKey($"<{fromBob.MessageId}>");
    }

    /// <summary>Message-ID → the thread it has on this record's timeline.</summary>
    private static async Task<Dictionary<string, Guid>> ThreadsAsync(HttpClient client, string type, Guid id)
    {
        var result = new Dictionary<string, Guid>();
        foreach (var item in await MailboxHost.EmailsOnTimelineAsync(client, type, id))
        {
            var email = await client.GetFromJsonAsync<JsonElement>($"/api/v1/emails/{item.GetProperty("id").GetGuid()}");
            var link = email.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("relatedType").GetString() == type && l.GetProperty("relatedId").GetGuid() == id);
            result[email.GetProperty("messageId").GetString()!] = link.GetProperty("threadId").GetGuid();
        }
        return result;
    }
}
