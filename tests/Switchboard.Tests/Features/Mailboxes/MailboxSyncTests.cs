using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Mailboxes;

/// <summary>
/// Sync against the real dovecot: new and sent mail land on the timelines of the records they involve; moved and
/// deleted messages keep their CRM copy, marked; a UIDVALIDITY change and an interrupted sync never duplicate.
/// </summary>
public sealed class MailboxSyncTests(MailboxHost host) : IClassFixture<MailboxHost>
{
    [Fact]
    public async Task New_mail_from_a_lead_is_synced_and_appears_on_the_leads_timeline()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var mailbox = await host.ConnectAsync(admin, me);
        var leadAddress = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(admin, leadAddress.ToUpperInvariant());
        var unrelated = await MailboxHost.LeadAsync(admin, MailboxHost.Unique("other"));
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, TestImapServer.Message(leadAddress, me, "Pricing question", "How much for 20 seats?"));

        var report = await MailboxHost.SyncAsync(admin, mailbox);

        report.GetProperty("imported").GetInt32().ShouldBe(1);
        var emails = await MailboxHost.EmailsOnTimelineAsync(admin, "lead", lead);
        emails.Count.ShouldBe(1);
        emails[0].GetProperty("title").GetString()!.ShouldContain("Pricing question");
        emails[0].GetProperty("detail").GetString()!.ShouldContain("20 seats");
        emails[0].GetProperty("status").GetString().ShouldBe("inbound");
        (await MailboxHost.EmailsOnTimelineAsync(admin, "lead", unrelated)).ShouldBeEmpty();
        var notice = await Eventually.Until(() => host.Inbound.Received.FirstOrDefault(e => e.FromAddress == leadAddress), e => e is not null,
            TimeSpan.FromSeconds(20), "the inbound-email hook");
        notice!.Links.ShouldContain(l => l.RelatedType == "lead" && l.RelatedId == lead);
        var status = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/mailboxes/{mailbox}");
        status.GetProperty("status").GetProperty("lastSyncAt").ValueKind.ShouldBe(JsonValueKind.String);
        status.GetProperty("status").GetProperty("messages").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Mail_to_a_contact_links_the_contact_and_its_account_but_not_the_mailbox_address()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var mailbox = await host.ConnectAsync(admin, me);
        var account = await IdAsync(admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Acme " + Guid.NewGuid().ToString("N")[..6] }));
        var contactAddress = MailboxHost.Unique("contact");
        var contact = await IdAsync(admin.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Buyer", emails = new[] { contactAddress }, accountId = account }));
        // A lead with the mailbox's own address is never linked.
        var self = await MailboxHost.LeadAsync(admin, me);
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, TestImapServer.Message(contactAddress, me, "Order", "Ready to order."));

        await MailboxHost.SyncAsync(admin, mailbox);

        (await MailboxHost.EmailsOnTimelineAsync(admin, "contact", contact)).Count.ShouldBe(1);
        (await MailboxHost.EmailsOnTimelineAsync(admin, "account", account)).Count.ShouldBe(1);
        (await MailboxHost.EmailsOnTimelineAsync(admin, "lead", self)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Mail_in_the_Sent_folder_is_synced_as_outbound_to_its_recipient()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var mailbox = await host.ConnectAsync(admin, me);
        var leadAddress = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(admin, leadAddress);
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, TestImapServer.Message(me, leadAddress, "Proposal", "Attached is the proposal."), "Sent");

        await MailboxHost.SyncAsync(admin, mailbox);

        var emails = await MailboxHost.EmailsOnTimelineAsync(admin, "lead", lead);
        emails.Count.ShouldBe(1);
        emails[0].GetProperty("status").GetString().ShouldBe("outbound");
        emails[0].GetProperty("title").GetString()!.ShouldContain("Proposal");
        var folders = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/mailboxes/{mailbox}")).GetProperty("status").GetProperty("folders");
        folders.EnumerateArray().Select(f => f.GetProperty("role").GetString()).ShouldBe(["inbox", "sent"]);
    }

    [Fact]
    public async Task A_message_moved_to_another_folder_stays_on_the_timeline_marked_moved()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var mailbox = await host.ConnectAsync(admin, me);
        var leadAddress = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(admin, leadAddress);
        var message = TestImapServer.Message(leadAddress, me, "Archive me", "Text");
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, message);
        await MailboxHost.SyncAsync(admin, mailbox);

        await host.Imap.MoveAsync(me, MailboxHost.ImapPassword, message.MessageId!, "INBOX", "Archive");
        var report = await MailboxHost.SyncAsync(admin, mailbox);

        report.GetProperty("moved").GetInt32().ShouldBe(1);
        var emails = await MailboxHost.EmailsOnTimelineAsync(admin, "lead", lead);
        emails.Count.ShouldBe(1);
        emails[0].GetProperty("status").GetString().ShouldBe("inbound; moved to Archive on the server");
    }

    [Fact]
    public async Task A_message_deleted_on_the_server_stays_on_the_timeline_marked_removed()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var mailbox = await host.ConnectAsync(admin, me);
        var leadAddress = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(admin, leadAddress);
        var message = TestImapServer.Message(leadAddress, me, "Delete me", "Text");
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, message);
        await MailboxHost.SyncAsync(admin, mailbox);

        await host.Imap.DeleteAsync(me, MailboxHost.ImapPassword, message.MessageId!);
        var report = await MailboxHost.SyncAsync(admin, mailbox);

        report.GetProperty("removed").GetInt32().ShouldBe(1);
        var emails = await MailboxHost.EmailsOnTimelineAsync(admin, "lead", lead);
        emails.Count.ShouldBe(1);
        emails[0].GetProperty("status").GetString().ShouldBe("inbound; removed on the server");
    }

    [Fact]
    public async Task A_UIDVALIDITY_change_refetches_the_folder_without_duplicating_a_message()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var mailbox = await host.ConnectAsync(admin, me);
        var leadAddress = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(admin, leadAddress);
        for (var i = 0; i < 3; i++) await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, TestImapServer.Message(leadAddress, me, $"Message {i}", "Text"));
        await MailboxHost.SyncAsync(admin, mailbox);
        var before = await InboxAsync(admin, mailbox);

        var validity = await host.Imap.ResetInboxUidValidityAsync(me, MailboxHost.ImapPassword);
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, TestImapServer.Message(leadAddress, me, "Message after", "Text"));
        var report = await MailboxHost.SyncAsync(admin, mailbox);

        ((long)validity).ShouldNotBe(before.GetProperty("uidValidity").GetInt64());
        (await InboxAsync(admin, mailbox)).GetProperty("uidValidity").GetInt64().ShouldBe(validity);
        report.GetProperty("rematched").GetInt32().ShouldBe(3);
        report.GetProperty("imported").GetInt32().ShouldBe(1);
        (await MailboxHost.EmailsOnTimelineAsync(admin, "lead", lead)).Count.ShouldBe(4);
    }

    [Fact]
    public async Task A_sync_interrupted_after_a_batch_resumes_on_a_second_instance_without_duplicates()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var mailbox = await host.ConnectAsync(admin, me);
        var leadAddress = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(admin, leadAddress);
        for (var i = 0; i < 12; i++) await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, TestImapServer.Message(leadAddress, me, $"Batch {i}", "Text"));
        await MailboxHost.SyncAsync(admin, mailbox);
        // As a process killed mid-sync leaves it: the first batch (UIDs 1-5) committed, the rest never written; and,
        // harsher than any real crash, the folder's bookkeeping behind what is stored.
        await OwnerSqlAsync($"delete from email_messages where mailbox_id = '{mailbox}' and uid > 5; update mailbox_folders set last_uid = 3 where mailbox_id = '{mailbox}' and role = 'inbox'");
        (await MailboxHost.EmailsOnTimelineAsync(admin, "lead", lead)).Count.ShouldBe(5);

        await using var second = await SecondInstance.StartAsync(host.Database, new Dictionary<string, string?> { ["Mailboxes:WatchEnabled"] = "false", ["Mailboxes:BatchSize"] = "5" });
        using var secondAdmin = new HttpClient { BaseAddress = second.BaseAddress };
        secondAdmin.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
        var report = await MailboxHost.SyncAsync(secondAdmin, mailbox);

        report.GetProperty("imported").GetInt32().ShouldBe(7);
        var emails = await MailboxHost.EmailsOnTimelineAsync(admin, "lead", lead);
        emails.Count.ShouldBe(12);
        emails.Select(e => e.GetProperty("title").GetString()).Distinct().Count().ShouldBe(12);
        (await InboxAsync(admin, mailbox)).GetProperty("lastUid").GetInt64().ShouldBe(12);
    }

    [Fact]
    public async Task Reconciliation_imports_a_message_the_bookkeeping_passed_over_and_reports_it()
    {
        var admin = await host.As("admin");
        var me = MailboxHost.Unique("me");
        var mailbox = await host.ConnectAsync(admin, me);
        var leadAddress = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(admin, leadAddress);
        for (var i = 0; i < 3; i++) await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, TestImapServer.Message(leadAddress, me, $"Seen {i}", "Text"));
        await MailboxHost.SyncAsync(admin, mailbox);
        await OwnerSqlAsync($"delete from email_messages where mailbox_id = '{mailbox}' and uid = 2");

        await JobRuns.RunAsync<Switchboard.Features.Mailboxes.MailboxReconcile>(host.Services,
            new Switchboard.Platform.Jobs.Job { Id = Guid.NewGuid(), Kind = "mailboxes.reconcile", Payload = JsonDocument.Parse("{}"), TenantId = host.Tenant.Id }, host.Tenant.Id);

        var status = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/mailboxes/{mailbox}")).GetProperty("status");
        status.GetProperty("lastReconcileMissed").GetInt32().ShouldBe(1);
        status.GetProperty("lastReconciledAt").ValueKind.ShouldBe(JsonValueKind.String);
        (await MailboxHost.EmailsOnTimelineAsync(admin, "lead", lead)).Count.ShouldBe(3);
    }

    private static async Task<JsonElement> InboxAsync(HttpClient admin, Guid mailbox) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/mailboxes/{mailbox}")).GetProperty("status").GetProperty("folders")
            .EnumerateArray().Single(f => f.GetProperty("role").GetString() == "inbox");

    private async Task OwnerSqlAsync(string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(host.Database.OwnerConnectionString);
        await conn.OpenAsync();
        await using (var enter = new Npgsql.NpgsqlCommand("select set_config('app.tenant_id', @tenant, false)", conn))
        {
            enter.Parameters.AddWithValue("tenant", host.Tenant.Id.ToString());
            await enter.ExecuteScalarAsync();
        }
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<Guid> IdAsync(Task<HttpResponseMessage> request)
    {
        var response = await request;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
