using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Campaigns;
using Switchboard.Features.Mailboxes;
using Switchboard.Features.Outreach;
using Switchboard.Features.Webhooks;
using Switchboard.Platform.Database;
using Switchboard.Platform.Jobs;
using Switchboard.Platform.Tenancy;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Campaigns;

/// <summary>The campaign host: a job worker that polls often, and a mailbox row to send from; the sender worker is off.</summary>
public sealed class CampaignHost : SwitchboardHostWithTenant
{
    // The sender worker is off: these tests play its part (OutreachJourneyTests send campaigns through the real one).
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:PollSeconds"] = "0.2", ["Outreach:Enabled"] = "false" };

    public Guid MailboxId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        MailboxId = await InTenantAsync(Tenant.Id, async (db, _) =>
        {
            var now = DateTimeOffset.UtcNow;
            // An inactive-for-sync mailbox would be refused; this one is active but points nowhere: nothing here sends.
            var mailbox = new Mailbox
            {
                TenantId = Tenant.Id, Id = Guid.CreateVersion7(), Kind = MailboxKinds.Shared, Name = "Campaigns", Address = "campaigns@fixture.test",
                ImapHost = "127.0.0.1", ImapPort = 9, ImapSecurity = "none", ImapUsername = "x", SmtpHost = "127.0.0.1", SmtpPort = 9, SmtpSecurity = "none",
                SmtpUsername = "x", Secret = "unused", CreatedAt = now, UpdatedAt = now,
            };
            db.Add(mailbox);
            await db.SaveChangesAsync();
            return mailbox.Id;
        });
    }

    /// <summary>Runs <paramref name="work"/> in a fresh scope entered into the tenant as the system (as the job worker does).</summary>
    public async Task<T> InTenantAsync<T>(Guid tenantId, Func<SwitchboardDbContext, IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId);
        await scope.ServiceProvider.GetRequiredService<TenantContext>().EnterTenantAsync(TenantMessages.Settings(tenant), TenantRole.Superadmin);
        return await work(db, scope.ServiceProvider);
    }
}

/// <summary>
/// Email campaigns (issue 14 §2, ADR 0061): recipients materialised from a saved view or a selection, once each; one
/// outbound email per reachable recipient with the campaign's key; the outcome observer's counters and the
/// campaign.progress events at every 10th and the last; pause, resume and cancel; who may do it.
/// </summary>
public sealed class CampaignTests(CampaignHost host) : IClassFixture<CampaignHost>
{
    private async Task<Guid> LeadAsync(string lastName, string? email, string? phone = null)
    {
        var manager = await host.As("manager");
        var response = await manager.PostAsJsonAsync("/api/v1/leads", new { firstName = "Pat", lastName, email, phone });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> CreateAsync(object body, string role = "manager")
    {
        var response = await (await host.As(role)).PostAsJsonAsync("/api/v1/campaigns", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private object EmailCampaign(string name, object audience) => new
    {
        name, kind = "email", audience, mailboxId = host.MailboxId, subject = "Hello {{ recipient.first_name }}", textBody = "Our spring offer.",
    };

    private async Task<JsonElement> PostAsync(Guid id, string action, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await (await host.As("manager")).PostAsync($"/api/v1/campaigns/{id}/{action}", null);
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> GetAsync(Guid id) => await (await host.As("manager")).GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{id}");

    private async Task<List<JsonElement>> RecipientsAsync(Guid id, string? status = null) =>
        (await (await host.As("manager")).GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{id}/recipients{(status is null ? "" : "?status=" + status)}"))
        .GetProperty("items").EnumerateArray().ToList();

    /// <summary>Waits until the job has enqueued or skipped every recipient (none pending).</summary>
    private Task<List<JsonElement>> UntilFedAsync(Guid id, int total) =>
        Eventually.Until(() => RecipientsAsync(id), rs => rs.Count == total && rs.All(r => r.GetProperty("status").GetString() != "pending"), "the campaign's recipients to be fed");

    private Task<List<OutboundEmail>> EmailsAsync(Guid campaignId) =>
        host.InTenantAsync(host.Tenant.Id, (db, _) => db.Set<OutboundEmail>().AsNoTracking().Where(e => e.Source == "campaign" && e.SourceId == campaignId).ToListAsync());

    private Task<List<CampaignProgressEvent>> ProgressEventsAsync(Guid campaignId) =>
        host.InTenantAsync(host.Tenant.Id, async (db, _) =>
            (await db.Set<WebhookEvent>().AsNoTracking().Where(e => e.Type == CampaignProgress.EventType).OrderBy(e => e.Seq).ToListAsync())
            .Select(e => JsonDocument.Parse(e.Body).RootElement.GetProperty("data").Deserialize<CampaignProgressEvent>(JsonSerializerOptions.Web)!)
            .Where(e => e.CampaignId == campaignId).ToList());

    /// <summary>Records an outcome as the sender does: the row's new state and every observer, in one transaction.</summary>
    private Task RecordOutcomeAsync(Guid emailId, string status, string? error = null) =>
        host.InTenantAsync(host.Tenant.Id, async (db, services) =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var email = await db.Set<OutboundEmail>().SingleAsync(e => e.Id == emailId);
            email.Status = status;
            email.Error = error;
            email.Attempts++;
            if (status == OutboundEmailStatus.Sent) email.SentAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
            foreach (var observer in services.GetServices<IOutboundEmailOutcomeObserver>()) await observer.OnOutcomeAsync(email, CancellationToken.None);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
            return true;
        });

    [Fact]
    public async Task A_campaign_on_a_saved_view_queues_one_email_per_reachable_lead_and_skips_the_suppressed_and_those_without_an_address()
    {
        var tag = "Viewtag" + Guid.NewGuid().ToString("N")[..8];
        var reachable = new[] { await LeadAsync(tag + "a", $"a.{tag}@example.com"), await LeadAsync(tag + "b", $"b.{tag}@example.com"), await LeadAsync(tag + "c", $"c.{tag}@example.com") };
        var noEmail = await LeadAsync(tag + "d", null);
        var suppressed = await LeadAsync(tag + "e", $"E.{tag}@Example.com");
        await LeadAsync("Elsewhere" + tag[..3], "elsewhere@example.com");
        await host.InTenantAsync(host.Tenant.Id, async (db, _) =>
        {
            db.Add(new Suppression { TenantId = host.Tenant.Id, Address = $"e.{tag}@example.com".ToLowerInvariant(), Reason = SuppressionReasons.Unsubscribed, CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        var view = await (await host.As("manager")).PostAsJsonAsync("/api/v1/views", new { entity = "lead", name = tag, shared = true, definition = new { filters = Array.Empty<object>(), search = tag } });
        view.EnsureSuccessStatusCode();
        var viewId = (await view.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var campaign = await CreateAsync(EmailCampaign("Spring " + tag, new { viewId }));
        var id = campaign.GetProperty("id").GetGuid();
        campaign.GetProperty("status").GetString().ShouldBe("draft");
        (await PostAsync(id, "start")).GetProperty("status").GetString().ShouldBe("running");
        var recipients = await UntilFedAsync(id, 5);

        recipients.Where(r => r.GetProperty("status").GetString() == "queued").Select(r => r.GetProperty("relatedId").GetGuid()).Order().ShouldBe(reachable.Order());
        recipients.Single(r => r.GetProperty("relatedId").GetGuid() == noEmail).GetProperty("skipReason").GetString().ShouldBe("no-address");
        recipients.Single(r => r.GetProperty("relatedId").GetGuid() == suppressed).GetProperty("skipReason").GetString().ShouldBe("suppressed");
        var emails = await EmailsAsync(id);
        emails.Count.ShouldBe(3);
        foreach (var r in recipients.Where(r => r.GetProperty("status").GetString() == "queued"))
        {
            var email = emails.Single(e => e.Id == r.GetProperty("outboundEmailId").GetGuid());
            email.IdempotencyKey.ShouldBe($"campaign:{id}:{r.GetProperty("id").GetGuid()}");
            email.MailboxId.ShouldBe(host.MailboxId);
            email.RelatedId.ShouldBe(r.GetProperty("relatedId").GetGuid());
            email.Status.ShouldBe(OutboundEmailStatus.Queued);
        }
        var counted = await GetAsync(id);
        counted.GetProperty("total").GetInt32().ShouldBe(5);
        counted.GetProperty("processed").GetInt32().ShouldBe(2);
        counted.GetProperty("skipped").GetInt32().ShouldBe(2);
        counted.GetProperty("skippedReasons").GetProperty("noAddress").GetInt32().ShouldBe(1);
        counted.GetProperty("skippedReasons").GetProperty("suppressed").GetInt32().ShouldBe(1);

        // A second run, as after a crash before the materialisation was recorded: nobody twice, no second email.
        await host.InTenantAsync(host.Tenant.Id, async (db, services) =>
        {
            await db.Database.ExecuteSqlAsync($"update campaigns set materialised = false where id = {id}");
            var runner = ActivatorUtilities.CreateInstance<CampaignRunner>(services);
            await runner.HandleAsync(new Job { Kind = CampaignService.JobKind, Payload = JobPayload.Write(new CampaignJob(id)), TenantId = host.Tenant.Id }, CancellationToken.None);
            return true;
        });
        (await RecipientsAsync(id)).Count.ShouldBe(5);
        (await EmailsAsync(id)).Count.ShouldBe(3);
        (await GetAsync(id)).GetProperty("processed").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task The_observer_counts_sent_and_failed_and_writes_campaign_progress_at_10_20_and_the_end_exactly_once_under_concurrency()
    {
        var tag = "Obs" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<Guid>();
        for (var i = 0; i < 25; i++) ids.Add(await LeadAsync($"{tag}{i:00}", $"p{i}.{tag}@example.com"));
        var id = (await CreateAsync(EmailCampaign("Observer " + tag, new { entity = "lead", ids }))).GetProperty("id").GetGuid();
        await PostAsync(id, "start");
        await UntilFedAsync(id, 25);
        var emails = await EmailsAsync(id);
        emails.Count.ShouldBe(25);

        // Outcomes recorded concurrently, as several sender instances would: 22 sent, 3 failed.
        var failing = emails.Take(3).Select(e => e.Id).ToHashSet();
        await Task.WhenAll(emails.Select(e => Task.Run(() =>
            RecordOutcomeAsync(e.Id, failing.Contains(e.Id) ? OutboundEmailStatus.Failed : OutboundEmailStatus.Sent, failing.Contains(e.Id) ? "550 mailbox unavailable" : null))));
        // The same outcome told again (a later bounce report, a retried transaction) changes nothing.
        await RecordOutcomeAsync(emails[^1].Id, OutboundEmailStatus.Sent);

        var campaign = await GetAsync(id);
        campaign.GetProperty("status").GetString().ShouldBe("completed");
        campaign.GetProperty("processed").GetInt32().ShouldBe(25);
        campaign.GetProperty("sent").GetInt32().ShouldBe(22);
        campaign.GetProperty("failed").GetInt32().ShouldBe(3);
        campaign.TryGetProperty("finishedAt", out var finished).ShouldBeTrue();
        finished.ValueKind.ShouldBe(JsonValueKind.String);
        (await RecipientsAsync(id, "failed")).Single(r => r.GetProperty("outboundEmailId").GetGuid() == emails[0].Id).GetProperty("error").GetString().ShouldBe("550 mailbox unavailable");
        var events = await ProgressEventsAsync(id);
        events.Select(e => e.Processed).ShouldBe([10, 20, 25]);
        events[^1].Status.ShouldBe("completed");
        events[^1].Sent.ShouldBe(22);
        events[^1].Failed.ShouldBe(3);
        events[^1].Total.ShouldBe(25);
        events[^1].Name.ShouldBe("Observer " + tag);
    }

    [Fact]
    public async Task Pause_holds_the_queued_emails_resume_releases_them_and_cancel_cancels_the_rest_with_the_counters_final()
    {
        var tag = "Pause" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add(await LeadAsync($"{tag}{i}", $"q{i}.{tag}@example.com"));
        var id = (await CreateAsync(EmailCampaign("Pausing " + tag, new { entity = "lead", ids }))).GetProperty("id").GetGuid();
        await PostAsync(id, "start");
        await UntilFedAsync(id, 5);

        (await PostAsync(id, "pause")).GetProperty("status").GetString().ShouldBe("paused");
        (await EmailsAsync(id)).ShouldAllBe(e => e.NotBefore == CampaignService.PausedUntil);
        await PostAsync(id, "pause", HttpStatusCode.Conflict);
        // An email the sender had already claimed still counts while paused.
        var emails = await EmailsAsync(id);
        await RecordOutcomeAsync(emails[0].Id, OutboundEmailStatus.Sent);

        (await PostAsync(id, "resume")).GetProperty("status").GetString().ShouldBe("running");
        (await EmailsAsync(id)).Where(e => e.Status == OutboundEmailStatus.Queued).ShouldAllBe(e => e.NotBefore < DateTimeOffset.UtcNow.AddMinutes(1));
        await RecordOutcomeAsync(emails[1].Id, OutboundEmailStatus.Sent);

        var cancelled = await PostAsync(id, "cancel");
        cancelled.GetProperty("status").GetString().ShouldBe("cancelled");
        cancelled.GetProperty("processed").GetInt32().ShouldBe(2);
        cancelled.GetProperty("sent").GetInt32().ShouldBe(2);
        var after = await EmailsAsync(id);
        after.Count(e => e.Status == OutboundEmailStatus.Cancelled).ShouldBe(3);
        after.Count(e => e.Status == OutboundEmailStatus.Sent).ShouldBe(2);
        (await RecipientsAsync(id, "cancelled")).Count.ShouldBe(3);
        await PostAsync(id, "resume", HttpStatusCode.Conflict);
        await PostAsync(id, "start", HttpStatusCode.Conflict);
        (await ProgressEventsAsync(id)).Single().Status.ShouldBe("cancelled");
        // Final: nothing counted after the cancel moves the counters.
        (await GetAsync(id)).GetProperty("processed").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task A_paused_campaign_enqueues_nothing_more_when_its_job_runs()
    {
        var tag = "Held" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<Guid> { await LeadAsync(tag + "1", $"h1.{tag}@example.com"), await LeadAsync(tag + "2", $"h2.{tag}@example.com") };
        var id = (await CreateAsync(EmailCampaign("Held " + tag, new { entity = "lead", ids }))).GetProperty("id").GetGuid();
        // Running but paused before its recipients were fed (written as the pause would leave it).
        await host.InTenantAsync(host.Tenant.Id, async (db, _) =>
            await db.Database.ExecuteSqlAsync($"update campaigns set status = 'paused', started_at = now() where id = {id}"));

        await host.InTenantAsync(host.Tenant.Id, async (db, services) =>
        {
            await db.Database.ExecuteSqlAsync($"update campaigns set status = 'running' where id = {id}");
            var runner = ActivatorUtilities.CreateInstance<CampaignRunner>(services);
            // Materialise only: pause again between the audience and the feeding, as a pause mid-run would.
            await db.Database.ExecuteSqlAsync($"update campaigns set status = 'paused' where id = {id}");
            await runner.HandleAsync(new Job { Kind = CampaignService.JobKind, Payload = JobPayload.Write(new CampaignJob(id)), TenantId = host.Tenant.Id }, CancellationToken.None);
            return true;
        });

        (await EmailsAsync(id)).ShouldBeEmpty();
        (await PostAsync(id, "resume")).GetProperty("status").GetString().ShouldBe("running");
        await UntilFedAsync(id, 2);
        (await EmailsAsync(id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Only_managers_and_admins_manage_campaigns_and_another_tenants_campaign_is_not_found()
    {
        var lead = await LeadAsync("Perm" + Guid.NewGuid().ToString("N")[..6], "perm@example.com");
        var agent = await host.As("agent");
        (await agent.GetAsync("/api/v1/campaigns")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.PostAsJsonAsync("/api/v1/campaigns", EmailCampaign("Agent's", new { entity = "lead", ids = new[] { lead } }))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var id = (await CreateAsync(EmailCampaign("Admin's", new { entity = "lead", ids = new[] { lead } }), role: "admin")).GetProperty("id").GetGuid();
        (await agent.PostAsync($"/api/v1/campaigns/{id}/start", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var other = await host.CreateTenantAsync("campaigns-other");
        var outsider = await host.LoginAsync(other.Email("manager"));
        (await outsider.GetAsync($"/api/v1/campaigns/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.PostAsync($"/api/v1/campaigns/{id}/start", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.GetAsync($"/api/v1/campaigns/{id}/recipients")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.GetFromJsonAsync<JsonElement>("/api/v1/campaigns")).GetProperty("items").GetArrayLength().ShouldBe(0);

        var audit = await (await host.As("admin")).GetFromJsonAsync<JsonElement>($"/api/v1/audit?entity=campaign&entityId={id}");
        audit.GetProperty("items").EnumerateArray().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task An_invalid_campaign_is_refused_naming_the_fields_and_a_started_one_cannot_be_edited()
    {
        var manager = await host.As("manager");
        var response = await manager.PostAsJsonAsync("/api/v1/campaigns", new { name = "No mailbox", kind = "email", audience = new { entity = "lead", ids = new[] { Guid.NewGuid() } }, subject = "Hi" });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("mailboxId", out _).ShouldBeTrue();
        errors.TryGetProperty("textBody", out _).ShouldBeTrue();
        var badKind = await manager.PostAsJsonAsync("/api/v1/campaigns", new { name = "Fax", kind = "fax", audience = new { entity = "lead", ids = new[] { Guid.NewGuid() } } });
        (await badKind.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("kind", out _).ShouldBeTrue();
        var badView = await manager.PostAsJsonAsync("/api/v1/campaigns", EmailCampaign("Ghost view", new { viewId = Guid.NewGuid() }));
        (await badView.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("audience.viewId", out _).ShouldBeTrue();
        var call = await manager.PostAsJsonAsync("/api/v1/campaigns", new { name = "Calls", kind = "call", audience = new { entity = "lead", ids = new[] { Guid.NewGuid() } }, provider = "thoughtly", agentId = "a" });
        (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("provider", out _).ShouldBeTrue();

        var lead = await LeadAsync("Edit" + Guid.NewGuid().ToString("N")[..6], "edit@example.com");
        var id = (await CreateAsync(EmailCampaign("Editable", new { entity = "lead", ids = new[] { lead } }))).GetProperty("id").GetGuid();
        var renamed = await manager.PatchAsJsonAsync($"/api/v1/campaigns/{id}", new { name = "Edited" });
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString().ShouldBe("Edited");
        await PostAsync(id, "start");
        (await manager.PatchAsJsonAsync($"/api/v1/campaigns/{id}", new { name = "Too late" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await manager.GetAsync($"/api/v1/campaigns/{id}/recipients?status=lost")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
