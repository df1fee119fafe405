using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Mailboxes;

/// <summary>Composing from a record sends through the mailbox's SMTP, saves to its Sent folder, and is stored once.</summary>
public sealed class EmailComposeTests(MailboxHost host) : IClassFixture<MailboxHost>
{
    [Fact]
    public async Task A_template_email_is_sent_through_smtp_saved_to_Sent_stored_once_and_merge_fields_are_encoded_in_html()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var mailbox = await host.ConnectAsync(admin, me);
        var leadAddress = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(admin, leadAddress, "<b>Zoe</b>");
        var template = await admin.PostAsJsonAsync("/api/v1/email-templates", new
        {
            name = "Intro", subject = "Hello {{ recipient.first_name }}", text = "Hi {{ recipient.first_name }}, from {{ sender.email }}.",
            html = "<p>Hi {{ recipient.first_name }}</p>",
        });
        template.StatusCode.ShouldBe(HttpStatusCode.Created, await template.Content.ReadAsStringAsync());
        var templateId = (await template.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var response = await admin.PostAsJsonAsync("/api/v1/emails", new { mailboxId = mailbox, to = new[] { leadAddress }, templateId, relatedType = "lead", relatedId = lead });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var sent = await host.Smtp(me).WaitForAsync(leadAddress);
        sent.Subject.ShouldBe("Hello <b>Zoe</b>");
        sent.TextBody!.ShouldContain($"Hi <b>Zoe</b>, from {me}.");
        sent.HtmlBody!.ShouldContain("<p>Hi &lt;b&gt;Zoe&lt;/b&gt;</p>");
        (await host.Imap.MessageIdsAsync(me, MailboxHost.ImapPassword, "Sent")).ShouldContain(sent.MessageId);
        var report = await MailboxHost.SyncAsync(admin, mailbox);
        report.GetProperty("imported").GetInt32().ShouldBe(0);
        var emails = await MailboxHost.EmailsOnTimelineAsync(admin, "lead", lead);
        emails.Count.ShouldBe(1);
        emails[0].GetProperty("status").GetString().ShouldBe("outbound");
    }

    [Fact]
    public async Task A_reply_carries_In_Reply_To_and_References_and_joins_the_thread()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var mailbox = await host.ConnectAsync(admin, me);
        var leadAddress = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(admin, leadAddress);
        var question = TestImapServer.Message(leadAddress, me, "Question", "Can you call me?");
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, question);
        await MailboxHost.SyncAsync(admin, mailbox);
        var inbound = (await MailboxHost.EmailsOnTimelineAsync(admin, "lead", lead)).Single().GetProperty("id").GetGuid();

        var response = await admin.PostAsJsonAsync("/api/v1/emails", new { mailboxId = mailbox, to = new[] { leadAddress }, text = "Calling at 3.", relatedType = "lead", relatedId = lead, inReplyToId = inbound });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        var sent = await host.Smtp(me).WaitForAsync(leadAddress);
        sent.Subject.ShouldBe("Re: Question");
        sent.InReplyTo.ShouldBe(question.MessageId);
        sent.References.ShouldContain(question.MessageId);
        var original = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/emails/{inbound}");
        reply.GetProperty("links")[0].GetProperty("threadId").GetGuid().ShouldBe(original.GetProperty("links")[0].GetProperty("threadId").GetGuid());
    }

    [Fact]
    public async Task Composing_without_recipients_or_text_names_the_fields()
    {
        var admin = await host.As("admin");
        var mailbox = await host.ConnectAsync(admin, MailboxHost.Unique("me"));

        var response = await admin.PostAsJsonAsync("/api/v1/emails", new { mailboxId = mailbox, to = Array.Empty<string>(), subject = "Hi" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("to", out _).ShouldBeTrue();
        errors.TryGetProperty("text", out _).ShouldBeTrue();
    }
}
