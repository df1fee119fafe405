using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Mailboxes;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Testing;
using Switchboard.Tests.Features.Webhooks;
using Xunit.Abstractions;

namespace Switchboard.Tests.Platform.ScaleOut;

/// <summary>
/// Background work with three instances competing for it (ADR 0068): webhook deliveries, campaign runs and sequence
/// steps are each done once, whichever instance caused them and whichever picks them up. The work is caused through
/// nginx, so its requests land on all three; every instance's dispatcher, job worker and step scheduler polls often.
/// Each check counts in SQL after the work is finished, and would see a second run as a second row or request.
/// </summary>
[Collection(ThreeInstancesCollection.Name)]
public sealed class ThreeInstancesWorkTests(ThreeInstancesHost host, ITestOutputHelper output)
{
    [Fact]
    public async Task Each_webhook_delivery_is_sent_exactly_once_by_three_dispatchers()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await host.CreateTenantAsync("scale-hooks");
        using var admin = await host.ThroughNginxAsync(tenant.Email("admin"));
        var paths = new[] { "/s1", "/s2", "/s3", "/s4" };
        foreach (var path in paths) await admin.SubscribeAsync(receiver.Url(path), events: new[] { "lead.created" });

        var leads = new List<Guid>();
        for (var i = 0; i < 30; i++) leads.Add(await admin.CreateLeadAsync($"Scale{i:00}"));
        // Finished when no delivery is pending and every event has its delivery on every subscription.
        var expected = leads.Count * paths.Length;
        await Eventually.Until(() => DeliveriesAsync(tenant.Id, "delivered"), delivered => delivered == expected, ThreeInstancesHost.Deadline,
            $"{expected} delivered rows");

        (await DeliveriesAsync(tenant.Id, "pending")).ShouldBe(0);
        (await DeliveriesAsync(tenant.Id, "failed")).ShouldBe(0);
        receiver.All.Count.ShouldBe(expected);
        receiver.All.GroupBy(r => (r.Path, r.Id)).ShouldAllBe(g => g.Count() == 1);
        foreach (var path in paths)
            receiver.On(path).Select(r => r.Json.GetProperty("data").GetProperty("id").GetGuid()).Order().ShouldBe(leads.Order(), $"the leads delivered to {path}");
    }

    [Fact]
    public async Task Campaigns_started_through_nginx_each_run_once_and_queue_one_email_per_lead()
    {
        using var manager = await host.ThroughNginxAsync(host.Tenant.Email("manager"));
        var mailbox = await MailboxAsync();
        var tag = "Camp" + Guid.NewGuid().ToString("N")[..8];
        var leads = new List<Guid>();
        for (var i = 0; i < 20; i++) leads.Add(await LeadAsync(manager, $"{tag}{i:00}", $"{tag.ToLowerInvariant()}.{i}@example.com"));

        var campaigns = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var created = await manager.PostAsJsonAsync("/api/v1/campaigns", new
            {
                name = $"{tag} {i}", kind = "email", audience = new { entity = "lead", ids = leads }, mailboxId = mailbox, subject = "Hello", textBody = "Our offer.",
            });
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            campaigns.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }
        foreach (var id in campaigns) (await manager.PostAsync($"/api/v1/campaigns/{id}/start", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.Until(() => CompletedRunsAsync(campaigns), completed => completed == campaigns.Count, ThreeInstancesHost.Deadline,
            "the campaigns' runs to complete");

        foreach (var id in campaigns)
        {
            (await host.CountAsync("select count(*) from jobs where idempotency_key like @key", ("key", $"campaign:{id}:run:%"))).ShouldBe(1);
            (await host.CountAsync("select attempts from jobs where idempotency_key = @key", ("key", $"campaign:{id}:run:1"))).ShouldBe(1, $"attempts of campaign {id}'s run");
            (await host.CountAsync("select count(*) from campaign_recipients where campaign_id = @id", ("id", id))).ShouldBe(leads.Count);
            (await host.CountAsync("select count(*) from outreach_emails where source_id = @id", ("id", id))).ShouldBe(leads.Count);
            (await host.CountAsync("select count(distinct related_id) from outreach_emails where source_id = @id", ("id", id))).ShouldBe(leads.Count);
        }
        var workers = await host.CountAsync("select count(distinct locked_by) from jobs where idempotency_key = any(@keys)",
            ("keys", campaigns.Select(c => $"campaign:{c}:run:1").ToArray()));
        output.WriteLine($"{campaigns.Count} campaign runs done by {workers} distinct job workers");
    }

    [Fact]
    public async Task A_sequence_step_due_for_many_leads_runs_once_for_each_with_three_schedulers()
    {
        using var manager = await host.ThroughNginxAsync(host.Tenant.Email("manager"));
        var title = "Scale task " + Guid.NewGuid().ToString("N")[..8];
        var sequence = await CreateSequenceAsync(manager, title);
        var leads = new List<Guid>();
        for (var i = 0; i < 40; i++) leads.Add(await LeadAsync(manager, $"Seq{i:00}", null));

        var enrolled = await manager.PostAsJsonAsync($"/api/v1/sequences/{sequence}/enrolments", new { leadIds = leads });
        enrolled.EnsureSuccessStatusCode();
        await Eventually.Until(() => host.CountAsync("select count(*) from sequence_enrolments where sequence_id = @s and status = 'completed'", ("s", sequence)),
            completed => completed == leads.Count, ThreeInstancesHost.Deadline, "every enrolment to complete its one step");

        (await host.CountAsync("select count(*) from sequence_step_runs r join sequence_enrolments e on e.tenant_id = r.tenant_id and e.id = r.enrolment_id where e.sequence_id = @s",
            ("s", sequence))).ShouldBe(leads.Count);
        (await host.CountAsync("select count(*) from activities where subject = @title", ("title", title))).ShouldBe(leads.Count);
        (await host.CountAsync("select count(distinct related_id) from activities where subject = @title", ("title", title))).ShouldBe(leads.Count);
        output.WriteLine($"{leads.Count} enrolments, {leads.Count} step runs, {leads.Count} tasks");
    }

    private Task<long> DeliveriesAsync(Guid tenant, string status) =>
        host.CountAsync("select count(*) from webhook_deliveries where tenant_id = @t and status = @status", ("t", tenant), ("status", status));

    private Task<long> CompletedRunsAsync(IReadOnlyList<Guid> campaigns) =>
        host.CountAsync("select count(*) from jobs where idempotency_key = any(@keys) and completed_at is not null",
            ("keys", campaigns.Select(c => $"campaign:{c}:run:1").ToArray()));

    private static async Task<Guid> LeadAsync(HttpClient client, string lastName, string? email)
    {
        var response = await client.PostAsJsonAsync("/api/v1/leads", new { firstName = "Sam", lastName, email });
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<Guid> CreateSequenceAsync(HttpClient client, string taskTitle)
    {
        string[] everyDay = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        var response = await client.PostAsJsonAsync("/api/v1/sequences", new
        {
            name = taskTitle, steps = new object[] { new { type = "task", title = taskTitle } }, windowDays = everyDay, windowFrom = "00:00", windowTo = "23:59",
            stopStatuses = Array.Empty<string>(),
        });
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A mailbox row to send campaigns from; it points nowhere, and the sender is off on every instance.</summary>
    private async Task<Guid> MailboxAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == host.Tenant.Id);
        await scope.ServiceProvider.GetRequiredService<TenantContext>().EnterTenantAsync(TenantMessages.Settings(tenant), TenantRole.Superadmin);
        var now = DateTimeOffset.UtcNow;
        var mailbox = new Mailbox
        {
            TenantId = host.Tenant.Id, Id = Guid.CreateVersion7(), Kind = MailboxKinds.Shared, Name = "Scale-out campaigns", Address = $"campaigns-{Guid.NewGuid():N}@fixture.test",
            ImapHost = "127.0.0.1", ImapPort = 9, ImapSecurity = "none", ImapUsername = "x", SmtpHost = "127.0.0.1", SmtpPort = 9, SmtpSecurity = "none",
            SmtpUsername = "x", Secret = "unused", CreatedAt = now, UpdatedAt = now,
        };
        db.Add(mailbox);
        await db.SaveChangesAsync();
        return mailbox.Id;
    }
}
