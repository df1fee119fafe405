using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Support.Tickets;
using Switchboard.Features.Support.Triage;
using Switchboard.Testing;
using Switchboard.Tests.Features.Mailboxes;

namespace Switchboard.Tests.Features.Support.Tickets;

/// <summary>Replying from a ticket through the inbox's real SMTP server, changing a ticket, its SLA, and who may see it.</summary>
public sealed class TicketApiTests(TicketsHost host) : IClassFixture<TicketsHost>
{
    private async Task<(SupportInboxFixture Inbox, JsonElement Ticket, string Requester, MimeKit.MimeMessage First)> TicketAsync(string subject = "Calls keep dropping")
    {
        var inbox = await host.SupportInboxAsync();
        var requester = MailboxHost.Unique("vera");
        var first = TestImapServer.Message($"Vera Stone <{requester}>", inbox.Address, subject, "Our calls keep dropping after a minute.");
        await inbox.DeliverAsync(first);
        return (inbox, (await inbox.TicketsUntilAsync(1)).Single(), requester, first);
    }

    [Fact]
    public async Task A_reply_from_the_ticket_reaches_the_requester_with_the_reference_and_threading_headers_and_stamps_the_first_response()
    {
        var (inbox, ticket, requester, first) = await TicketAsync();
        var id = ticket.GetProperty("id").GetGuid();
        var reference = ticket.GetProperty("reference").GetString();
        ticket.GetProperty("sla").GetProperty("firstRespondedAt").ValueKind.ShouldBe(JsonValueKind.Null);

        var response = await (await host.As("agent")).PostAsJsonAsync($"/api/v1/tickets/{id}/reply", new { text = "We are looking into the dropped calls." });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var sent = await host.Smtp(inbox.Address).WaitForAsync(requester);
        sent.Subject.ShouldBe($"Re: [{reference}] Calls keep dropping");
        sent.InReplyTo.ShouldBe(first.MessageId);
        sent.References.ShouldContain(first.MessageId);
        sent.TextBody!.ShouldContain("dropped calls");
        var detail = await response.Content.ReadFromJsonAsync<JsonElement>();
        detail.GetProperty("ticket").GetProperty("status").GetString().ShouldBe("pending");
        detail.GetProperty("ticket").GetProperty("sla").GetProperty("firstRespondedAt").ValueKind.ShouldBe(JsonValueKind.String);
        var messages = detail.GetProperty("messages").EnumerateArray().ToList();
        messages.Select(m => m.GetProperty("direction").GetString()).ShouldBe(["inbound", "outbound"]);
        (await host.Imap.MessageIdsAsync(inbox.Address, MailboxHost.ImapPassword, "Sent")).ShouldContain(sent.MessageId);
    }

    [Fact]
    public async Task The_requesters_answer_to_a_reply_joins_the_ticket_and_reopens_it()
    {
        var (inbox, ticket, requester, _) = await TicketAsync("Reopen me");
        var id = ticket.GetProperty("id").GetGuid();
        (await (await host.As("agent")).PostAsJsonAsync($"/api/v1/tickets/{id}/reply", new { useSuggested = true, status = "solved" })).EnsureSuccessStatusCode();
        var ours = await host.Smtp(inbox.Address).WaitForAsync(requester);
        ours.TextBody.ShouldBe(ticket.GetProperty("triage").GetProperty("suggestedReply").GetString());
        (await inbox.DetailAsync(id)).GetProperty("ticket").GetProperty("status").GetString().ShouldBe("solved");

        await inbox.DeliverAsync(TestImapServer.Message(requester, inbox.Address, "Re: " + ours.Subject, "It happened again.", inReplyTo: ours.MessageId, references: [ours.MessageId!]));

        // The ticket and its messages are two reads: wait until the answer is on it, then for the status that came with it.
        await inbox.DetailUntilAsync(id, 3);
        var detail = await inbox.DetailAsync(id);
        detail.GetProperty("messages").GetArrayLength().ShouldBe(3);
        detail.GetProperty("ticket").GetProperty("status").GetString().ShouldBe("open");
        detail.GetProperty("ticket").GetProperty("sla").GetProperty("solvedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        (await inbox.TicketsAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Changing_the_priority_recomputes_the_due_times_from_the_tickets_creation_and_a_stale_version_is_refused()
    {
        var (_, ticket, _, _) = await TicketAsync("Priority change");
        var id = ticket.GetProperty("id").GetGuid();
        var agent = await host.As("agent");
        var priority = ticket.GetProperty("priority").GetString() == "urgent" ? "low" : "urgent";

        var response = await agent.PatchAsJsonAsync($"/api/v1/tickets/{id}", new { priority, assigneeId = host.Tenant.Users["agent"], version = ticket.GetProperty("version").GetInt32() });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var changed = await response.Content.ReadFromJsonAsync<JsonElement>();
        changed.GetProperty("priority").GetString().ShouldBe(priority);
        changed.GetProperty("assigneeId").GetGuid().ShouldBe(host.Tenant.Users["agent"]);
        var created = changed.GetProperty("createdAt").GetDateTimeOffset();
        var (firstDue, resolutionDue) = SlaClock.DueTimes(created, SupportConfiguration.Defaults.SlaFor(priority), TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), new HashSet<DateOnly>());
        changed.GetProperty("sla").GetProperty("firstResponseDueAt").GetDateTimeOffset().ShouldBe(firstDue, TimeSpan.FromMilliseconds(1));
        changed.GetProperty("sla").GetProperty("resolutionDueAt").GetDateTimeOffset().ShouldBe(resolutionDue, TimeSpan.FromMilliseconds(1));
        changed.GetProperty("version").GetInt32().ShouldBe(ticket.GetProperty("version").GetInt32() + 1);
        (await agent.PatchAsJsonAsync($"/api/v1/tickets/{id}", new { status = "solved", version = ticket.GetProperty("version").GetInt32() }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var mine = await agent.GetFromJsonAsync<JsonElement>("/api/v1/tickets?assignee=me&pageSize=200");
        mine.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ShouldContain(id);
    }

    [Fact]
    public async Task A_ticket_past_its_due_time_is_listed_as_breached()
    {
        var (inbox, ticket, _, _) = await TicketAsync("Breach me");
        var id = ticket.GetProperty("id").GetGuid();
        ticket.GetProperty("sla").GetProperty("firstResponseBreached").GetBoolean().ShouldBeFalse();
        var admin = await host.As("admin");
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tickets?breached=true&pageSize=200")).GetProperty("items").EnumerateArray()
            .Select(t => t.GetProperty("id").GetGuid()).ShouldNotContain(id);

        await host.ScalarAsync("update tickets set first_response_due_at = now() - interval '30 minutes' where id = @id; select 0", ("id", id));

        var breached = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tickets?breached=true&pageSize=200")).GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("id").GetGuid() == id);
        breached.GetProperty("sla").GetProperty("firstResponseBreached").GetBoolean().ShouldBeTrue();
        breached.GetProperty("sla").GetProperty("resolutionBreached").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Invalid_changes_and_replies_answer_400_naming_the_field()
    {
        var (_, ticket, _, _) = await TicketAsync("Validate me");
        var id = ticket.GetProperty("id").GetGuid();
        var agent = await host.As("agent");

        var patch = await agent.PatchAsJsonAsync($"/api/v1/tickets/{id}", new { status = "closed", priority = "asap", category = "nope", assigneeId = host.Tenant.Users["agent2"] });
        var reply = await agent.PostAsJsonAsync($"/api/v1/tickets/{id}/reply", new { text = " " });
        var list = await agent.GetAsync("/api/v1/tickets?status=closed");

        patch.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await patch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "status", "priority", "category", "assigneeId" }) errors.TryGetProperty(field, out _).ShouldBeTrue(field);
        reply.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("text", out _).ShouldBeTrue();
        list.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_agent_outside_the_inbox_gets_403_on_the_list_and_404_on_a_ticket_and_another_tenant_gets_404()
    {
        var (_, ticket, _, _) = await TicketAsync("Private");
        var id = ticket.GetProperty("id").GetGuid();
        var outsider = await host.As("agent2");
        var other = await host.CreateTenantAsync("tickets-other");
        var otherAdmin = await host.LoginAsync(other.Email("admin"));

        (await outsider.GetAsync("/api/v1/tickets")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await outsider.GetAsync($"/api/v1/tickets/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.PatchAsJsonAsync($"/api/v1/tickets/{id}", new { status = "solved" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.PostAsJsonAsync($"/api/v1/tickets/{id}/reply", new { text = "Hi" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherAdmin.GetAsync($"/api/v1/tickets/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherAdmin.PatchAsJsonAsync($"/api/v1/tickets/{id}", new { status = "solved" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await host.As("agent")).GetAsync($"/api/v1/tickets/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await host.As("agent")).PutAsJsonAsync($"/api/v1/support/inboxes/{ticket.GetProperty("mailboxId").GetGuid()}", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Making_a_support_inbox_is_audited_and_only_a_shared_mailbox_can_be_one()
    {
        var admin = await host.As("admin");
        var personal = await host.ConnectAsync(admin, MailboxHost.Unique("personal"));
        var inbox = await host.SupportInboxAsync();

        var refused = await admin.PutAsJsonAsync($"/api/v1/support/inboxes/{personal}", new { });

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("mailboxId", out _).ShouldBeTrue();
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?entity=support-inbox&pageSize=200");
        audit.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("entityId").GetString() == inbox.MailboxId.ToString())
            .Select(a => a.GetProperty("action").GetString()).ShouldBe(["created"]);
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/support/inboxes");
        listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("mailboxId").GetGuid()).ShouldContain(inbox.MailboxId);
    }
}
