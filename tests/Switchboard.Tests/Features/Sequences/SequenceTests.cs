using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Activities;
using Switchboard.Features.Dialer;
using Switchboard.Features.Leads;
using Switchboard.Features.Outreach;
using Switchboard.Features.Sequences;
using Switchboard.Testing;
using Switchboard.Tests.Features.Calls;
using Switchboard.Tests.Features.Mailboxes;

namespace Switchboard.Tests.Features.Sequences;

/// <summary>
/// Sequences end to end inside the product (ADR 0060): the scheduler runs each step once, the next step waits for the
/// email's outcome, call and task steps land where the assignee works, and every stop rule stops the enrolment and
/// cancels its queued email.
/// </summary>
public sealed class SequenceTests(SequenceHost host) : IClassFixture<SequenceHost>
{
    private static readonly object EmailStep = new { type = "email", subject = "Hello {{ recipient.first_name }}", body = "A short note." };
    private static readonly object WaitStep = new { type = "wait", days = 2 };

    private async Task<Guid> MailboxAsync(HttpClient client) => await host.ConnectAsync(client, MailboxHost.Unique("sender"));

    [Fact]
    public async Task An_email_step_enqueues_one_outbound_email_with_the_step_key_and_not_before_inside_the_recipients_window()
    {
        var manager = await host.As("manager");
        var mailbox = await MailboxAsync(manager);
        // Tuesdays 10:00–11:00 on the recipient's clock (Tokyo), whatever the tenant's zone.
        var sequence = await host.SequenceAsync(manager, [EmailStep, WaitStep], mailbox, windowDays: ["tue"], windowFrom: "10:00", windowTo: "11:00");
        var lead = await SequenceHost.LeadAsync(manager, MailboxHost.Unique("tokyo"), timeZone: "Asia/Tokyo");
        (await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } })).GetProperty("enrolled").GetInt32().ShouldBe(1);
        var enrolmentId = (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("id").GetGuid();

        await host.RunDueAsync();

        var emails = await host.EmailsOfAsync(enrolmentId);
        emails.Count.ShouldBe(1);
        emails[0].IdempotencyKey.ShouldBe($"sequence:{enrolmentId}:0");
        emails[0].Source.ShouldBe(OutboundEmailSources.Sequence);
        emails[0].Status.ShouldBe(OutboundEmailStatus.Queued);
        var local = TimeZoneInfo.ConvertTime(emails[0].NotBefore, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        local.DayOfWeek.ShouldBe(DayOfWeek.Tuesday);
        local.Hour.ShouldBe(10);
        (emails[0].NotBefore - emails[0].CreatedAt).ShouldBeLessThan(TimeSpan.FromDays(8));
        var enrolment = await host.EnrolmentAsync(enrolmentId);
        enrolment.AwaitingEmailId.ShouldBe(emails[0].Id);
        enrolment.DueAt.ShouldBeNull();

        // As if the step's advancement were lost and it ran again: the key keeps it to one email.
        await host.InTenantAsync(async db =>
        {
            await db.Set<SequenceStepRun>().Where(r => r.EnrolmentId == enrolmentId).ExecuteDeleteAsync();
            return await db.Set<SequenceEnrolment>().Where(e => e.Id == enrolmentId)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.DueAt, DateTimeOffset.UtcNow.AddSeconds(-1)).SetProperty(e => e.AwaitingEmailId, (Guid?)null));
        });
        await host.RunDueAsync();
        await host.RunDueAsync();
        (await host.EmailsOfAsync(enrolmentId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_next_step_is_scheduled_only_when_the_email_is_reported_sent()
    {
        var manager = await host.As("manager");
        var mailbox = await MailboxAsync(manager);
        var sequence = await host.SequenceAsync(manager, [EmailStep, new { type = "task", title = "Follow up" }], mailbox);
        var lead = await SequenceHost.LeadAsync(manager, MailboxHost.Unique("sent"));
        await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } });
        var enrolmentId = (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("id").GetGuid();
        await host.RunDueAsync();
        var email = (await host.EmailsOfAsync(enrolmentId)).Single();

        await host.RunDueAsync();
        var waiting = await host.EnrolmentAsync(enrolmentId);
        waiting.StepIndex.ShouldBe(0);
        waiting.DueAt.ShouldBeNull();
        (await host.InTenantAsync(db => db.Set<Activity>().CountAsync(a => a.RelatedId == lead && a.Subject == "Follow up"))).ShouldBe(0);

        await host.RecordOutcomeAsync(email.Id, OutboundEmailStatus.Sent);
        var advanced = await host.EnrolmentAsync(enrolmentId);
        advanced.StepIndex.ShouldBe(1);
        advanced.DueAt.ShouldNotBeNull();
        await host.RunDueAsync();
        (await host.InTenantAsync(db => db.Set<Activity>().CountAsync(a => a.RelatedId == lead && a.Subject == "Follow up"))).ShouldBe(1);
        (await host.EnrolmentAsync(enrolmentId)).Status.ShouldBe(EnrolmentStatuses.Completed);
    }

    [Fact]
    public async Task A_sequence_ending_in_a_wait_completes_only_when_the_wait_is_over()
    {
        var manager = await host.As("manager");
        var sequence = await host.SequenceAsync(manager, [new { type = "wait", days = 1 }]);
        var lead = await SequenceHost.LeadAsync(manager, null);
        await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } });

        await host.RunDueAsync();

        var waiting = await SequenceHost.EnrolmentOfAsync(manager, sequence, lead);
        waiting.GetProperty("status").GetString().ShouldBe("active");
        waiting.GetProperty("nextDueAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(23));
        var id = waiting.GetProperty("id").GetGuid();
        await host.InTenantAsync(db => db.Set<SequenceEnrolment>().Where(e => e.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.DueAt, DateTimeOffset.UtcNow.AddSeconds(-1))));
        await host.RunDueAsync();
        (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("status").GetString().ShouldBe("completed");
    }

    [Fact]
    public async Task A_failed_email_stops_the_enrolment_with_the_error()
    {
        var manager = await host.As("manager");
        var sequence = await host.SequenceAsync(manager, [EmailStep, WaitStep], await MailboxAsync(manager));
        var lead = await SequenceHost.LeadAsync(manager, MailboxHost.Unique("failed"));
        await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } });
        await host.RunDueAsync();
        var enrolmentId = (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("id").GetGuid();

        await host.RecordOutcomeAsync((await host.EmailsOfAsync(enrolmentId)).Single().Id, OutboundEmailStatus.Failed, "550 mailbox unavailable");

        var shown = await SequenceHost.EnrolmentOfAsync(manager, sequence, lead);
        shown.GetProperty("status").GetString().ShouldBe("stopped");
        shown.GetProperty("stopReason").GetString().ShouldBe("email_failed");
        shown.GetProperty("stopDetail").GetString()!.ShouldContain("550");
    }

    [Fact]
    public async Task A_call_step_puts_the_lead_into_the_assignees_dialer_queue_due_first_and_a_task_step_creates_the_assignees_task()
    {
        var manager = await host.As("manager");
        var agent = host.Tenant.Users["agent"];
        var sequence = await host.SequenceAsync(manager, [new { type = "call", note = "Ask about the pilot" }, new { type = "task", title = "Send the proposal", dueDays = 1 }]);
        var lead = await SequenceHost.LeadAsync(manager, null, ownerId: agent, phone: "(212) 555-0177");
        await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } });

        await host.RunDueAsync(); // the call
        await host.RunDueAsync(); // the task

        var queued = await host.InTenantAsync(async db =>
            await (from m in db.Set<DialerQueueMember>() join q in db.Set<DialerQueue>() on m.QueueId equals q.Id
                   where m.LeadId == lead select q.UserId).ToListAsync());
        queued.ShouldBe([agent], (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).ToString());
        var callback = await host.InTenantAsync(db => db.Set<Lead>().Where(l => l.Id == lead).Select(l => l.CallbackAt).SingleAsync());
        callback.ShouldNotBeNull();
        callback.Value.ShouldBeLessThanOrEqualTo(DateTimeOffset.UtcNow);
        var tasks = await host.InTenantAsync(db => db.Set<Activity>().AsNoTracking().Where(a => a.RelatedId == lead).ToListAsync());
        tasks.ShouldContain(t => t.Subject.Contains("Ask about the pilot") && t.AssigneeId == agent);
        var proposal = tasks.Single(t => t.Subject == "Send the proposal");
        proposal.AssigneeId.ShouldBe(agent);
        proposal.DueAt!.Value.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(12));
        (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("status").GetString().ShouldBe("completed");
    }

    [Fact]
    public async Task A_reply_from_the_person_reaching_the_mailbox_stops_the_enrolment_and_cancels_its_queued_email()
    {
        var manager = await host.As("manager");
        var address = MailboxHost.Unique("inbox");
        var mailbox = await host.ConnectAsync(manager, address);
        // No sender runs here: the first email stays queued until the reply comes.
        var sequence = await host.SequenceAsync(manager, [EmailStep, WaitStep, EmailStep], mailbox);
        var leadAddress = MailboxHost.Unique("replier");
        var lead = await SequenceHost.LeadAsync(manager, leadAddress);
        await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } });
        await host.RunDueAsync();
        var enrolmentId = (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("id").GetGuid();
        (await host.EmailsOfAsync(enrolmentId)).Single().Status.ShouldBe(OutboundEmailStatus.Queued);

        await host.Imap.AppendAsync(address, MailboxHost.ImapPassword, TestImapServer.Message(leadAddress, address, "Re: Hello", "Not interested, thanks."));
        await MailboxHost.SyncAsync(manager, mailbox);

        var stopped = await Eventually.Until(() => SequenceHost.EnrolmentOfAsync(manager, sequence, lead),
            e => e.GetProperty("status").GetString() == "stopped", TimeSpan.FromSeconds(30), "the reply to stop the enrolment");
        stopped.GetProperty("stopReason").GetString().ShouldBe("replied");
        stopped.GetProperty("stopEvidenceId").GetString().ShouldNotBeNullOrEmpty();
        stopped.GetProperty("stoppedAt").ValueKind.ShouldBe(JsonValueKind.String);
        (await host.EmailsOfAsync(enrolmentId)).Single().Status.ShouldBe(OutboundEmailStatus.Cancelled);
    }

    [Fact]
    public async Task A_call_with_the_person_dispositioned_as_connected_stops_the_enrolment()
    {
        var admin = await host.As("admin");
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/simulator", new
        {
            active = true, callerId = "(212) 555-0100", answerRate = 1, ringSeconds = 0.5, talkSeconds = 1, transcripts = false,
        })).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callingHours = CallingHost.AllDay() })).EnsureSuccessStatusCode();
        var manager = await host.As("manager");
        var agent = await host.As("agent");
        var sequence = await host.SequenceAsync(manager, [WaitStep, WaitStep]);
        var lead = await SequenceHost.LeadAsync(manager, null, ownerId: host.Tenant.Users["agent"], phone: "(212) 555-0181");
        await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } });
        var placed = await agent.PostAsJsonAsync("/api/v1/calls", new { leadId = lead });
        placed.EnsureSuccessStatusCode();
        var callId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await CallingHost.WaitForCallAsync(agent, callId, c => c.GetProperty("status").GetString() == "completed");
        (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("status").GetString().ShouldBe("active");

        (await agent.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "interested" })).EnsureSuccessStatusCode();

        var stopped = await SequenceHost.EnrolmentOfAsync(manager, sequence, lead);
        stopped.GetProperty("status").GetString().ShouldBe("stopped");
        stopped.GetProperty("stopReason").GetString().ShouldBe("call_connected");
        stopped.GetProperty("stopEvidenceId").GetString().ShouldBe(callId.ToString());
    }

    [Fact]
    public async Task A_change_to_a_configured_stop_status_stops_the_enrolment_and_cancels_its_queued_email()
    {
        var manager = await host.As("manager");
        var sequence = await host.SequenceAsync(manager, [EmailStep, WaitStep], await MailboxAsync(manager), stopStatuses: ["qualified"]);
        var other = await host.SequenceAsync(manager, [WaitStep, WaitStep], stopStatuses: ["unqualified"]);
        var lead = await SequenceHost.LeadAsync(manager, MailboxHost.Unique("status"));
        await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } });
        await SequenceHost.EnrolAsync(manager, other, new { leadIds = new[] { lead } });
        await host.RunDueAsync();
        var enrolmentId = (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("id").GetGuid();

        (await manager.PatchAsJsonAsync($"/api/v1/leads/{lead}", new { status = "qualified" })).EnsureSuccessStatusCode();

        var stopped = await SequenceHost.EnrolmentOfAsync(manager, sequence, lead);
        stopped.GetProperty("status").GetString().ShouldBe("stopped");
        stopped.GetProperty("stopReason").GetString().ShouldBe("status_changed");
        stopped.GetProperty("stopDetail").GetString()!.ShouldContain("qualified");
        (await host.EmailsOfAsync(enrolmentId)).Single().Status.ShouldBe(OutboundEmailStatus.Cancelled);
        (await SequenceHost.EnrolmentOfAsync(manager, other, lead)).GetProperty("status").GetString().ShouldBe("active");
    }

    [Fact]
    public async Task A_bounce_reported_by_the_sender_stops_the_enrolment()
    {
        var manager = await host.As("manager");
        var sequence = await host.SequenceAsync(manager, [EmailStep, WaitStep, EmailStep], await MailboxAsync(manager));
        var lead = await SequenceHost.LeadAsync(manager, MailboxHost.Unique("bounce"));
        await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } });
        await host.RunDueAsync();
        var enrolmentId = (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("id").GetGuid();
        var email = (await host.EmailsOfAsync(enrolmentId)).Single();
        await host.RecordOutcomeAsync(email.Id, OutboundEmailStatus.Sent);

        await host.RecordOutcomeAsync(email.Id, OutboundEmailStatus.Sent, bounced: true);

        var stopped = await SequenceHost.EnrolmentOfAsync(manager, sequence, lead);
        stopped.GetProperty("status").GetString().ShouldBe("stopped");
        stopped.GetProperty("stopReason").GetString().ShouldBe("bounced");
        stopped.GetProperty("stopEvidenceId").GetString().ShouldBe(email.Id.ToString());
        await host.RunDueAsync();
        (await host.EmailsOfAsync(enrolmentId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_unsubscribe_from_a_sent_email_stops_the_enrolment()
    {
        var manager = await host.As("manager");
        var sequence = await host.SequenceAsync(manager, [EmailStep, WaitStep, EmailStep], await MailboxAsync(manager));
        var lead = await SequenceHost.LeadAsync(manager, MailboxHost.Unique("unsubscriber"));
        await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } });
        await host.RunDueAsync();
        var enrolmentId = (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("id").GetGuid();
        var email = (await host.EmailsOfAsync(enrolmentId)).Single();
        await host.RecordOutcomeAsync(email.Id, OutboundEmailStatus.Sent);
        (await host.EnrolmentAsync(enrolmentId)).StepIndex.ShouldBe(1);

        await host.RecordOutcomeAsync(email.Id, OutboundEmailStatus.Sent, suppressAs: SuppressionReasons.Unsubscribed);

        var stopped = await SequenceHost.EnrolmentOfAsync(manager, sequence, lead);
        stopped.GetProperty("status").GetString().ShouldBe("stopped");
        stopped.GetProperty("stopReason").GetString().ShouldBe("unsubscribed");
        stopped.GetProperty("stopEvidenceId").GetString().ShouldBe(email.Id.ToString());
    }

    [Fact]
    public async Task An_address_suppressed_before_its_step_is_due_stops_the_enrolment_without_an_email()
    {
        var manager = await host.As("manager");
        var sequence = await host.SequenceAsync(manager, [EmailStep], await MailboxAsync(manager));
        var address = MailboxHost.Unique("unsub");
        var lead = await SequenceHost.LeadAsync(manager, address);
        await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } });
        await host.InTenantAsync(async db =>
        {
            db.Add(new Suppression { TenantId = host.Tenant.Id, Address = address.ToLowerInvariant(), Reason = SuppressionReasons.Unsubscribed, CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        await host.RunDueAsync();

        var stopped = await SequenceHost.EnrolmentOfAsync(manager, sequence, lead);
        stopped.GetProperty("status").GetString().ShouldBe("stopped");
        stopped.GetProperty("stopReason").GetString().ShouldBe("unsubscribed");
        (await host.EmailsOfAsync(stopped.GetProperty("id").GetGuid())).ShouldBeEmpty();
        // A suppressed address is not enrolled again.
        var again = await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } });
        again.GetProperty("enrolled").GetInt32().ShouldBe(0);
        again.GetProperty("skipped")[0].GetProperty("reason").GetString()!.ShouldContain("suppressed");
    }

    [Fact]
    public async Task A_manual_stop_cancels_the_queued_email_and_pause_and_resume_hold_the_next_step()
    {
        var manager = await host.As("manager");
        var sequence = await host.SequenceAsync(manager, [EmailStep, WaitStep], await MailboxAsync(manager));
        var lead = await SequenceHost.LeadAsync(manager, MailboxHost.Unique("manual"));
        var paused = await SequenceHost.LeadAsync(manager, MailboxHost.Unique("paused"));
        await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead, paused } });
        var pausedId = (await SequenceHost.EnrolmentOfAsync(manager, sequence, paused)).GetProperty("id").GetGuid();
        (await manager.PostAsync($"/api/v1/enrolments/{pausedId}/pause", null)).EnsureSuccessStatusCode();
        await host.RunDueAsync();
        var enrolmentId = (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("id").GetGuid();

        var stop = await manager.PostAsync($"/api/v1/enrolments/{enrolmentId}/stop", null);

        stop.StatusCode.ShouldBe(HttpStatusCode.OK);
        var stopped = await stop.Content.ReadFromJsonAsync<JsonElement>();
        stopped.GetProperty("stopReason").GetString().ShouldBe("manual");
        (await host.EmailsOfAsync(enrolmentId)).Single().Status.ShouldBe(OutboundEmailStatus.Cancelled);
        (await host.EmailsOfAsync(pausedId)).ShouldBeEmpty();
        (await manager.PostAsync($"/api/v1/enrolments/{pausedId}/resume", null)).EnsureSuccessStatusCode();
        await host.RunDueAsync();
        (await host.EmailsOfAsync(pausedId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task People_are_enrolled_from_a_saved_view_and_those_without_an_email_are_reported()
    {
        var manager = await host.As("manager");
        var tag = "Viewtest" + Guid.NewGuid().ToString("N")[..6];
        var withEmail = await SequenceHost.LeadAsync(manager, MailboxHost.Unique("view"), lastName: tag);
        var withoutEmail = await SequenceHost.LeadAsync(manager, null, lastName: tag);
        var outside = await SequenceHost.LeadAsync(manager, MailboxHost.Unique("outside"));
        var view = await manager.PostAsJsonAsync("/api/v1/views", new
        {
            entity = "lead", name = tag, definition = new { filters = Array.Empty<object>(), columns = (string[]?)null, sort = (string?)null, search = tag },
        });
        view.EnsureSuccessStatusCode();
        var viewId = (await view.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sequence = await host.SequenceAsync(manager, [EmailStep], await MailboxAsync(manager));

        var result = await SequenceHost.EnrolAsync(manager, sequence, new { viewId });

        result.GetProperty("enrolled").GetInt32().ShouldBe(1);
        var skipped = result.GetProperty("skipped").EnumerateArray().ToList();
        skipped.Count.ShouldBe(1);
        skipped[0].GetProperty("id").GetGuid().ShouldBe(withoutEmail);
        skipped[0].GetProperty("reason").GetString().ShouldBe("No email address.");
        var list = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/sequences/{sequence}/enrolments");
        list.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("relatedId").GetGuid()).ShouldBe([withEmail]);
        list.GetProperty("items")[0].GetProperty("nextDueLocal").GetString()!.ShouldContain("America/New_York");
        // The same people again: already in the sequence.
        var again = await SequenceHost.EnrolAsync(manager, sequence, new { viewId });
        again.GetProperty("enrolled").GetInt32().ShouldBe(0);
        again.GetProperty("skipped").EnumerateArray().ShouldContain(s => s.GetProperty("reason").GetString() == "Already in this sequence.");
        _ = outside;
    }

    [Fact]
    public async Task Agents_cannot_manage_sequences_and_enrol_only_the_records_they_can_see()
    {
        var manager = await host.As("manager");
        var agent = await host.As("agent");
        var sequence = await host.SequenceAsync(manager, [WaitStep]);
        var own = await SequenceHost.LeadAsync(manager, null, ownerId: host.Tenant.Users["agent"]);
        var others = await SequenceHost.LeadAsync(manager, null, ownerId: host.Tenant.Users["manager"]);

        (await agent.PostAsJsonAsync("/api/v1/sequences", new { name = "Mine", steps = new[] { WaitStep } })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.PutAsJsonAsync($"/api/v1/sequences/{sequence}", new { name = "Mine", steps = new[] { WaitStep } })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var result = await SequenceHost.EnrolAsync(agent, sequence, new { leadIds = new[] { own, others } });

        result.GetProperty("enrolled").GetInt32().ShouldBe(1);
        result.GetProperty("skipped")[0].GetProperty("id").GetGuid().ShouldBe(others);
        var visible = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/sequences/{sequence}/enrolments");
        visible.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("relatedId").GetGuid()).ShouldBe([own]);
        var enrolment = (await SequenceHost.EnrolmentOfAsync(manager, sequence, own)).GetProperty("assigneeId").GetGuid();
        enrolment.ShouldBe(host.Tenant.Users["agent"]);
    }

    [Fact]
    public async Task Another_tenants_sequence_and_enrolments_are_not_found()
    {
        var manager = await host.As("manager");
        var sequence = await host.SequenceAsync(manager, [WaitStep]);
        var lead = await SequenceHost.LeadAsync(manager, null);
        await SequenceHost.EnrolAsync(manager, sequence, new { leadIds = new[] { lead } });
        var enrolment = (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("id").GetGuid();
        var other = await host.CreateTenantAsync("seq-other");
        var stranger = await host.LoginAsync(other.Email("admin"));

        (await stranger.GetAsync($"/api/v1/sequences/{sequence}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"/api/v1/sequences/{sequence}/enrolments")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsJsonAsync($"/api/v1/sequences/{sequence}/enrolments", new { leadIds = new[] { lead } })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsync($"/api/v1/enrolments/{enrolment}/stop", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.DeleteAsync($"/api/v1/sequences/{sequence}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await SequenceHost.EnrolmentOfAsync(manager, sequence, lead)).GetProperty("status").GetString().ShouldBe("active");
    }

    [Fact]
    public async Task An_invalid_step_is_a_400_naming_the_steps_field()
    {
        var manager = await host.As("manager");
        var response = await manager.PostAsJsonAsync("/api/v1/sequences", new
        {
            name = "Broken", mailboxId = await MailboxAsync(manager),
            steps = new object[] { WaitStep, new { type = "call" }, new { type = "email", templateId = Guid.NewGuid() }, new { type = "wait", days = 0 } },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("steps[2].templateId", out _).ShouldBeTrue(errors.ToString());
        errors.TryGetProperty("steps[3].days", out _).ShouldBeTrue(errors.ToString());
        errors.TryGetProperty("steps[1].type", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Admins_add_holidays_and_the_change_is_audited()
    {
        var admin = await host.As("admin");
        var agent = await host.As("agent");

        (await agent.PostAsJsonAsync("/api/v1/holidays", new { day = "2031-12-25", name = "Christmas" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PostAsJsonAsync("/api/v1/holidays", new { day = "2031-12-25", name = "Christmas" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var list = await agent.GetFromJsonAsync<JsonElement>("/api/v1/holidays");
        list.GetProperty("items").EnumerateArray().ShouldContain(h => h.GetProperty("day").GetString() == "2031-12-25");
        await Eventually.Until(() => host.InTenantAsync(db => db.AuditLog.CountAsync(a => a.EntityType == "tenant-holiday" && a.EntityId == "2031-12-25")),
            n => n > 0, TimeSpan.FromSeconds(20), "the holiday's audit row");
    }
}
