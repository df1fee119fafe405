using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using Switchboard.Tests.Features.Mailboxes;

namespace Switchboard.Tests.Features.Support.Tickets;

/// <summary>
/// Mail delivered to a real dovecot support inbox and synced: a new thread becomes a triaged ticket, replies join it by
/// their headers or the [#N] in the subject, forwards and other requesters start their own, and the intake never does
/// anything twice.
/// </summary>
public sealed class TicketThreadingTests(TicketsHost host) : IClassFixture<TicketsHost>
{
    [Fact]
    public async Task New_mail_on_a_support_inbox_becomes_a_triaged_ticket_with_a_new_contact_for_an_unknown_requester()
    {
        var inbox = await host.SupportInboxAsync();
        var requester = MailboxHost.Unique("nora");
        var mail = TestImapServer.Message($"Nora Quinn <{requester}>", inbox.Address, "Charged twice on my invoice",
            "Hello, my credit card was charged twice for the March invoice. Please refund one of the payments.");

        await inbox.DeliverAsync(mail);

        var ticket = (await inbox.TicketsUntilAsync(1)).Single();
        ticket.GetProperty("status").GetString().ShouldBe("open");
        ticket.GetProperty("subject").GetString().ShouldBe("Charged twice on my invoice");
        ticket.GetProperty("category").GetString().ShouldBe("billing");
        ticket.GetProperty("triage").GetProperty("engine").GetString().ShouldBe("rules");
        ticket.GetProperty("triage").GetProperty("suggestedReply").GetString()!.ShouldContain("Nora");
        ticket.GetProperty("triage").GetProperty("suggestedReply").GetString()!.ShouldContain(ticket.GetProperty("reference").GetString()!);
        ticket.GetProperty("reference").GetString().ShouldBe($"#{ticket.GetProperty("number").GetInt32()}");
        var requesterJson = ticket.GetProperty("requester");
        requesterJson.GetProperty("address").GetString().ShouldBe(requester);
        var contact = await (await host.As("admin")).GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{requesterJson.GetProperty("contactId").GetGuid()}");
        contact.GetProperty("emails").EnumerateArray().Select(e => e.GetString()).ShouldBe([requester]);
        contact.GetProperty("firstName").GetString().ShouldBe("Nora");
        contact.GetProperty("lastName").GetString().ShouldBe("Quinn");
        var detail = await inbox.DetailAsync(ticket.GetProperty("id").GetGuid());
        detail.GetProperty("messages").EnumerateArray().Single().GetProperty("text").GetString()!.ShouldContain("charged twice");
    }

    [Fact]
    public async Task A_requester_from_an_accounts_domain_becomes_a_contact_of_that_account_and_a_known_contact_is_reused()
    {
        var admin = await host.As("admin");
        var domain = $"acme-{Guid.NewGuid():N}"[..16] + ".example";
        var account = await admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Acme", domain });
        account.EnsureSuccessStatusCode();
        var accountId = (await account.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var known = await admin.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Known", emails = new[] { $"known@{domain}" } });
        known.EnsureSuccessStatusCode();
        var knownId = (await known.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var inbox = await host.SupportInboxAsync();

        await inbox.DeliverAsync(TestImapServer.Message($"dev@{domain}", inbox.Address, "API question", "How do I page the leads list?"));
        await inbox.DeliverAsync(TestImapServer.Message($"Known@{domain}", inbox.Address, "Another question", "Where are my exports?"));

        var tickets = await inbox.TicketsUntilAsync(2);
        var fromDev = tickets.Single(t => t.GetProperty("requester").GetProperty("address").GetString() == $"dev@{domain}");
        var contact = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{fromDev.GetProperty("requester").GetProperty("contactId").GetGuid()}");
        contact.GetProperty("accountId").GetGuid().ShouldBe(accountId);
        var fromKnown = tickets.Single(t => t.GetProperty("requester").GetProperty("address").GetString() == $"known@{domain}");
        fromKnown.GetProperty("requester").GetProperty("contactId").GetGuid().ShouldBe(knownId);
    }

    [Fact]
    public async Task A_reply_with_a_changed_subject_joins_its_ticket_by_its_References()
    {
        var inbox = await host.SupportInboxAsync();
        var requester = MailboxHost.Unique("ola");
        var first = TestImapServer.Message(requester, inbox.Address, "Export fails", "The CSV export fails with an error.");
        await inbox.DeliverAsync(first);
        var ticket = (await inbox.TicketsUntilAsync(1)).Single().GetProperty("id").GetGuid();

        await inbox.DeliverAsync(TestImapServer.Message(requester, inbox.Address, "Something completely different", "Here is a screenshot.",
            references: [first.MessageId!]));

        var detail = await inbox.DetailUntilAsync(ticket, 2);
        detail.GetProperty("messages")[1].GetProperty("subject").GetString().ShouldBe("Something completely different");
        (await inbox.TicketsAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_reply_with_the_ticket_reference_in_its_subject_and_no_headers_joins_its_ticket()
    {
        var inbox = await host.SupportInboxAsync();
        var requester = MailboxHost.Unique("pia");
        await inbox.DeliverAsync(TestImapServer.Message(requester, inbox.Address, "Locked out", "I cannot log in any more."));
        var ticket = (await inbox.TicketsUntilAsync(1)).Single();
        var id = ticket.GetProperty("id").GetGuid();

        await inbox.DeliverAsync(TestImapServer.Message(requester, inbox.Address, $"Re: [{ticket.GetProperty("reference").GetString()}] Locked out", "Still locked out."));

        await inbox.DetailUntilAsync(id, 2);
        (await inbox.TicketsAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_stranger_quoting_a_ticket_reference_starts_a_ticket_of_their_own()
    {
        var inbox = await host.SupportInboxAsync();
        await inbox.DeliverAsync(TestImapServer.Message(MailboxHost.Unique("rhea"), inbox.Address, "Login problem", "I cannot log in."));
        var ticket = (await inbox.TicketsUntilAsync(1)).Single();

        await inbox.DeliverAsync(TestImapServer.Message(MailboxHost.Unique("mallory"), inbox.Address, $"[{ticket.GetProperty("reference").GetString()}] add me", "Let me in."));

        var tickets = await inbox.TicketsUntilAsync(2);
        (await inbox.DetailAsync(ticket.GetProperty("id").GetGuid())).GetProperty("messages").GetArrayLength().ShouldBe(1);
        tickets.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_forwarded_mail_without_matching_headers_is_a_new_ticket()
    {
        var inbox = await host.SupportInboxAsync();
        var requester = MailboxHost.Unique("sam");
        await inbox.DeliverAsync(TestImapServer.Message(requester, inbox.Address, "Dialer is slow", "The dialer is slow today."));
        var first = (await inbox.TicketsUntilAsync(1)).Single().GetProperty("id").GetGuid();

        await inbox.DeliverAsync(TestImapServer.Message(requester, inbox.Address, "Fwd: Dialer is slow",
            "---------- Forwarded message ---------\nThe dialer is slow today."));

        var tickets = await inbox.TicketsUntilAsync(2);
        tickets.Count.ShouldBe(2);
        (await inbox.DetailAsync(first)).GetProperty("messages").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Two_requesters_writing_with_the_same_subject_get_two_tickets()
    {
        var inbox = await host.SupportInboxAsync();
        var ann = MailboxHost.Unique("ann");
        var bob = MailboxHost.Unique("bob");

        await inbox.DeliverAsync(TestImapServer.Message(ann, inbox.Address, "Help", "My import failed."));
        await inbox.DeliverAsync(TestImapServer.Message(bob, inbox.Address, "Help", "My calls drop."));

        var tickets = await inbox.TicketsUntilAsync(2);
        tickets.Select(t => t.GetProperty("requester").GetProperty("address").GetString()).Order().ShouldBe(new[] { ann, bob }.Order());
        tickets.Select(t => t.GetProperty("number").GetInt32()).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task The_intake_run_twice_at_once_for_one_email_makes_one_ticket()
    {
        var inbox = await host.SupportInboxAsync();
        var mail = TestImapServer.Message(MailboxHost.Unique("tia"), inbox.Address, "Twice?", "Is this made once?");
        await inbox.DeliverAsync(mail);
        var ticket = (await inbox.TicketsUntilAsync(1)).Single().GetProperty("id").GetGuid();
        var notice = host.Inbound.Received.Single(n => n.MailboxId == inbox.MailboxId);
        // Start again from the stored email without its ticket, as if the job had not run yet, and run it twice at once.
        await host.ScalarAsync("delete from tickets where id = @id; select 0", ("id", ticket));

        await Task.WhenAll(host.RunIntakeAsync(notice), host.RunIntakeAsync(notice));

        (await host.ScalarAsync("select count(*) from tickets where mailbox_id = @m", ("m", inbox.MailboxId))).ShouldBe(1);
        (await host.ScalarAsync("select count(*) from ticket_messages where email_id = @e", ("e", notice.EmailId))).ShouldBe(1);
        await host.RunIntakeAsync(notice);
        (await host.ScalarAsync("select count(*) from tickets where mailbox_id = @m", ("m", inbox.MailboxId))).ShouldBe(1);
    }

    [Fact]
    public async Task Mail_dated_before_the_mailbox_became_a_support_inbox_makes_no_ticket()
    {
        var inbox = await host.SupportInboxAsync();
        var old = TestImapServer.Message(MailboxHost.Unique("old"), inbox.Address, "Old history", "From last year.");
        old.Date = DateTimeOffset.UtcNow.AddDays(-30);
        var fresh = TestImapServer.Message(MailboxHost.Unique("new"), inbox.Address, "New question", "From today.");
        await host.Imap.AppendAsync(inbox.Address, MailboxHost.ImapPassword, old);

        await inbox.DeliverAsync(fresh);

        var tickets = await inbox.TicketsUntilAsync(1);
        await Eventually.Until(() => Task.FromResult(host.Inbound.Received.Count(n => n.MailboxId == inbox.MailboxId)), n => n == 2,
            Eventually.DefaultTimeout, "both messages handed to the observers");
        tickets.Single().GetProperty("subject").GetString().ShouldBe("New question");
        (await inbox.TicketsAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_new_ticket_writes_a_ticket_created_webhook_event_with_the_ticket()
    {
        var inbox = await host.SupportInboxAsync();

        await inbox.DeliverAsync(TestImapServer.Message(MailboxHost.Unique("uma"), inbox.Address, "Webhook please", "Tell the other system."));

        var ticket = (await inbox.TicketsUntilAsync(1)).Single();
        var id = ticket.GetProperty("id").GetGuid();
        (await host.ScalarAsync("select count(*) from webhook_events where tenant_id = @t and type = 'ticket.created' and (body::jsonb -> 'data' ->> 'id')::uuid = @id",
            ("t", host.Tenant.Id), ("id", id))).ShouldBe(1);
        (await host.ScalarAsync("select count(*) from webhook_events where type = 'ticket.created' and (body::jsonb -> 'data' ->> 'number')::int = @n and (body::jsonb -> 'data' ->> 'id')::uuid = @id",
            ("n", ticket.GetProperty("number").GetInt32()), ("id", id))).ShouldBe(1);
    }
}
