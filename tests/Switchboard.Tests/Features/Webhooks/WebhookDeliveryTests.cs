using System.Text;
using System.Text.Json;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Leads;
using Switchboard.Features.Webhooks;
using Microsoft.EntityFrameworkCore;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Webhooks;

/// <summary>Capture and delivery end to end: the app (on a fake clock), its dispatcher, a local receiver.</summary>
public sealed class WebhookDeliveryTests(WebhooksHost host) : IClassFixture<WebhooksHost>, IAsyncLifetime
{
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private Task<IReadOnlyList<WebhookReceiver.Received>> ReceivedAsync(int count, string what) =>
        Eventually.Until(() => receiver.All, r => r.Count >= count, TimeSpan.FromSeconds(30), what);

    [Fact]
    public async Task A_lead_created_through_the_API_is_delivered_signed_with_the_lead_as_the_API_returns_it()
    {
        var (tenant, admin) = await host.NewTenantAsync();
        var hook = await admin.SubscribeAsync(receiver.Url(), new[] { "lead.created" });

        var leadId = await admin.CreateLeadAsync("Lovelace");

        var request = (await ReceivedAsync(1, "the lead.created delivery")).Single();
        var body = request.Json;
        body.GetProperty("type").GetString().ShouldBe("lead.created");
        body.GetProperty("tenantId").GetGuid().ShouldBe(tenant.Id);
        request.Id.ShouldBe(body.GetProperty("id").GetString());
        var apiLead = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leadId}");
        body.GetProperty("data").GetRawText().ShouldBe(apiLead.GetRawText());
        body.TryGetProperty("previous", out _).ShouldBeFalse();
        WebhookSignatureTests.Verifies(hook.Secret, request).ShouldBeTrue();
        long.Parse(request.Timestamp!).ShouldBe(host.Clock.GetUtcNow().ToUnixTimeSeconds());
        var logged = await Eventually.Until(() => admin.DeliveriesAsync(hook.Id), d => d.Length == 1 && d[0].GetProperty("status").GetString() == "delivered",
            TimeSpan.FromSeconds(10), "the delivered row");
        logged[0].GetProperty("responseStatus").GetInt32().ShouldBe(200);
        logged[0].GetProperty("event").GetString().ShouldBe("lead.created");
    }

    [Fact]
    public async Task A_rolled_back_change_writes_no_event_and_a_committed_one_writes_it_in_its_own_transaction()
    {
        var (tenant, _) = await host.NewTenantAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var settings = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenant.Id);
        await scope.ServiceProvider.GetRequiredService<TenantContext>().EnterTenantAsync(TenantMessages.Settings(settings), TenantRole.Admin);

        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            db.Add(new Lead { TenantId = tenant.Id, Id = Guid.CreateVersion7(), FirstName = "Rolled", LastName = "Back" });
            await db.SaveChangesAsync();
            (await db.WebhookEvents.CountAsync()).ShouldBe(1); // written by the same SaveChanges, visible inside the transaction
            await tx.RollbackAsync();
        }
        db.ChangeTracker.Clear();
        (await host.ScalarAsync("select count(*) from webhook_events where tenant_id = @t", ("t", tenant.Id))).ShouldBe(0);

        db.Add(new Lead { TenantId = tenant.Id, Id = Guid.CreateVersion7(), FirstName = "Kept", LastName = "Lead" });
        await db.SaveChangesAsync();
        (await host.ScalarAsync("select count(*) from webhook_events where tenant_id = @t and type = 'lead.created'", ("t", tenant.Id))).ShouldBe(1);
    }

    [Fact]
    public async Task Each_record_event_fires_with_the_data_the_API_returns_and_updates_carry_previous()
    {
        var (_, admin) = await host.NewTenantAsync();
        await admin.SubscribeAsync(receiver.Url(), new[] { "*" });

        var leadId = await admin.CreateLeadAsync("Hopper");
        (await admin.PatchAsJsonAsync($"/api/v1/leads/{leadId}", new { title = "Admiral" })).EnsureSuccessStatusCode();
        (await admin.DeleteAsync($"/api/v1/leads/{leadId}")).EnsureSuccessStatusCode();
        var contact = await admin.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Babbage" });
        contact.EnsureSuccessStatusCode();
        var account = await admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Analytical Engines Ltd" });
        account.EnsureSuccessStatusCode();
        var activity = await admin.PostAsJsonAsync("/api/v1/activities", new { type = "task", subject = "Send the notes" });
        activity.EnsureSuccessStatusCode();

        var requests = await ReceivedAsync(6, "six events");
        requests.Select(r => r.Type).ShouldBe(["lead.created", "lead.updated", "lead.deleted", "contact.created", "account.created", "activity.created"]);
        var updated = requests[1].Json;
        updated.GetProperty("data").GetProperty("title").GetString().ShouldBe("Admiral");
        updated.GetProperty("previous").GetProperty("title").ValueKind.ShouldBe(JsonValueKind.Null);
        updated.GetProperty("data").GetProperty("version").GetInt32().ShouldBe(2);
        requests[2].Json.GetProperty("data").GetProperty("id").GetGuid().ShouldBe(leadId);
        requests[3].Json.GetProperty("data").GetRawText().ShouldBe((await contact.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
        requests[4].Json.GetProperty("data").GetRawText().ShouldBe((await account.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
        requests[5].Json.GetProperty("data").GetRawText().ShouldBe((await activity.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
    }

    [Fact]
    public async Task Moving_an_opportunity_to_another_stage_raises_stage_changed_with_the_API_data_and_the_previous_stage()
    {
        var (_, admin) = await host.NewTenantAsync();
        await admin.SubscribeAsync(receiver.Url("/deals"), new[] { "opportunity.created", "opportunity.stage_changed" });
        var created = await Switchboard.Tests.Features.Opportunities.OpportunityTestData.CreateAsync(admin, new { name = "Big deal" });
        var proposal = await Switchboard.Tests.Features.Opportunities.OpportunityTestData.StageAsync(admin, "Proposal");

        var moved = await admin.PatchAsJsonAsync($"/api/v1/opportunities/{created.GetProperty("id").GetGuid()}", new { stageId = proposal });
        moved.EnsureSuccessStatusCode();

        var requests = await ReceivedAsync(2, "created and stage_changed");
        requests.Select(r => r.Type).ShouldBe(["opportunity.created", "opportunity.stage_changed"]);
        requests[0].Json.GetProperty("data").GetRawText().ShouldBe(created.GetRawText());
        requests[1].Json.GetProperty("data").GetRawText().ShouldBe((await moved.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
        requests[1].Json.GetProperty("previous").GetProperty("stageId").GetGuid().ShouldBe(created.GetProperty("stageId").GetGuid());
    }

    [Fact]
    public async Task A_changed_fields_filter_sends_only_updates_that_touched_a_listed_field()
    {
        var (_, admin) = await host.NewTenantAsync();
        await admin.SubscribeAsync(receiver.Url(), new[] { "lead.updated" }, changedFields: ["status"]);
        var leadId = await admin.CreateLeadAsync("Noether");

        (await admin.PatchAsJsonAsync($"/api/v1/leads/{leadId}", new { title = "Professor" })).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync($"/api/v1/leads/{leadId}", new { status = "contacted" })).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync($"/api/v1/leads/{leadId}", new { company = "Göttingen" })).EnsureSuccessStatusCode();
        await admin.CreateLeadAsync("Marker"); // a created lead: not subscribed, and a marker that the dispatcher has passed the updates

        await Eventually.Until(() => host.ScalarAsync("select count(*) from webhook_events e join webhook_subscriptions s on s.tenant_id = e.tenant_id " +
            "where e.type = 'lead.created' and e.body like '%Marker%' and (e.xact, e.seq) <= (s.cursor_xact, s.cursor_seq)"), n => n == 1, TimeSpan.FromSeconds(30), "the fan-out");
        var requests = await ReceivedAsync(1, "the status update");
        requests.Count.ShouldBe(1);
        requests[0].Json.GetProperty("data").GetProperty("status").GetString().ShouldBe("contacted");
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_on_the_schedule_with_a_fresh_signature_each_time_until_it_answers()
    {
        var (_, admin) = await host.NewTenantAsync();
        var hook = await admin.SubscribeAsync(receiver.Url("/retry"));
        receiver.Status = 500;
        await admin.CreateLeadAsync("Retry");
        await ReceivedAsync(1, "the first attempt");

        var waits = WebhookOptions.RetrySchedule.Take(4).ToList();
        for (var i = 0; i < waits.Count; i++)
        {
            var pending = await Eventually.Until(() => admin.DeliveriesAsync(hook.Id, "?status=pending"), d => d.Length == 1 && d[0].GetProperty("attempt").GetInt32() == i + 2,
                TimeSpan.FromSeconds(30), $"attempt {i + 2} to be scheduled");
            (pending[0].GetProperty("nextAttemptAt").GetDateTimeOffset() - host.Clock.GetUtcNow()).ShouldBe(waits[i]);
            host.Clock.Advance(waits[i] - TimeSpan.FromSeconds(1));
            await Task.Delay(300); // a dispatcher round passes (poll 0.1 s): nothing is due yet
            receiver.All.Count.ShouldBe(i + 1);
            if (i == waits.Count - 1) receiver.Status = 204;
            host.Clock.Advance(TimeSpan.FromSeconds(1));
            await ReceivedAsync(i + 2, $"attempt {i + 2}");
        }

        var all = receiver.All;
        all.Select(r => r.Id).Distinct().Count().ShouldBe(1);
        all.Select(r => r.Timestamp).Distinct().Count().ShouldBe(all.Count);
        all.ShouldAllBe(r => WebhookSignatureTests.Verifies(hook.Secret, r));
        all.Select(r => Convert.ToBase64String(r.Body)).Distinct().Count().ShouldBe(1);
        var log = await Eventually.Until(() => admin.DeliveriesAsync(hook.Id), d => d.Any(x => x.GetProperty("status").GetString() == "delivered"), TimeSpan.FromSeconds(10), "the delivered attempt");
        log.Select(d => (d.GetProperty("attempt").GetInt32(), d.GetProperty("status").GetString())).ShouldBe([(5, "delivered"), (4, "failed"), (3, "failed"), (2, "failed"), (1, "failed")]);
    }

    [Fact]
    public async Task An_answer_of_410_Gone_disables_the_subscription_at_once()
    {
        var (_, admin) = await host.NewTenantAsync();
        var hook = await admin.SubscribeAsync(receiver.Url("/gone"));
        receiver.Status = 410;

        await admin.CreateLeadAsync("Gone");

        var state = await Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{hook.Id}"), w => !w.GetProperty("enabled").GetBoolean(),
            TimeSpan.FromSeconds(30), "the subscription to be disabled");
        state.GetProperty("disabledReason").GetString()!.ShouldContain("410");
        (await admin.DeliveriesAsync(hook.Id, "?status=pending")).ShouldBeEmpty();
        (await host.ScalarAsync("select count(*) from webhook_queue where subscription_id = @s", ("s", hook.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task An_endpoint_failing_for_five_days_is_disabled_and_the_tenants_admins_are_emailed()
    {
        var (tenant, admin) = await host.NewTenantAsync();
        var hook = await admin.SubscribeAsync(receiver.Url("/failing"));
        receiver.Status = 503;
        await admin.CreateLeadAsync("First");
        var failing = await Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{hook.Id}"),
            w => w.GetProperty("failingSince").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(30), "the first failed attempt");
        var since = failing.GetProperty("failingSince").GetDateTimeOffset();

        // Four days and a half of failures later (the streak's start is what the rule reads): one more failure is not yet five days.
        host.Clock.SetUtcNow(since + TimeSpan.FromDays(4.5));
        await admin.CreateLeadAsync("Later");
        await Eventually.Until(() => admin.DeliveriesAsync(hook.Id), d => d.Count(x => x.GetProperty("status").GetString() != "pending") >= 2,
            TimeSpan.FromSeconds(30), "a failed attempt at four and a half days");
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{hook.Id}")).GetProperty("enabled").GetBoolean().ShouldBeTrue();

        // The next attempt after five days of failing disables the subscription.
        host.Clock.SetUtcNow(since + TimeSpan.FromDays(5) + TimeSpan.FromSeconds(1));
        var disabled = await Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{hook.Id}"), w => !w.GetProperty("enabled").GetBoolean(),
            TimeSpan.FromSeconds(30), "the subscription to be disabled");
        disabled.GetProperty("disabledReason").GetString()!.ShouldContain("failed every attempt");
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{hook.Id}")).GetProperty("failingSince").GetDateTimeOffset().ShouldBe(since);
        await Eventually.Until(() => host.ScalarAsync("select count(*) from outbound_emails where tenant_id = @t and template = 'webhook-disabled' and to_address = @to",
            ("t", tenant.Id), ("to", $"admin@{tenant.Slug}.test")), n => n == 1, TimeSpan.FromSeconds(30), "the email to the admin");
    }

    [Fact]
    public async Task A_delivery_can_be_replayed_alone_or_with_everything_since_an_instant_under_the_same_event_ids()
    {
        var (_, admin) = await host.NewTenantAsync();
        var hook = await admin.SubscribeAsync(receiver.Url("/replay"));
        var before = host.Clock.GetUtcNow();
        await admin.CreateLeadAsync("One");
        await admin.CreateLeadAsync("Two");
        var first = await ReceivedAsync(2, "the two deliveries");
        var log = await Eventually.Until(() => admin.DeliveriesAsync(hook.Id, "?status=delivered"), d => d.Length == 2, TimeSpan.FromSeconds(10), "two delivered rows");

        var one = log.Single(d => d.GetProperty("eventId").GetString() == first[0].Id);
        (await admin.PostAsync($"/api/v1/webhooks/{hook.Id}/deliveries/{one.GetProperty("id").GetGuid()}/replay", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await ReceivedAsync(3, "the replayed delivery");
        receiver.All[2].Id.ShouldBe(first[0].Id);

        var replayed = await admin.PostAsJsonAsync($"/api/v1/webhooks/{hook.Id}/replay", new { since = before });
        replayed.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32().ShouldBe(2);
        var all = await ReceivedAsync(5, "the replay since");
        all.Skip(3).Select(r => r.Id).ShouldBe([first[0].Id, first[1].Id]);
        all.Skip(3).ShouldAllBe(r => first.Any(f => f.Body.SequenceEqual(r.Body)));
    }

    [Fact]
    public async Task A_receiver_down_for_a_simulated_day_loses_no_event_and_gets_all_of_them_in_order_when_back()
    {
        var (_, admin) = await host.NewTenantAsync();
        var hook = await admin.SubscribeAsync(receiver.Url("/day"));
        receiver.Status = WebhookReceiver.Down;
        var start = host.Clock.GetUtcNow();
        var created = new List<Guid>();
        for (var hour = 0; hour < 24; hour += 3)
        {
            created.Add(await admin.CreateLeadAsync($"Hour{hour}"));
            host.Clock.Advance(TimeSpan.FromHours(3));
            await Task.Delay(150);
        }
        (await host.ScalarAsync("select count(*) from webhook_deliveries where subscription_id = @s and status = 'delivered'", ("s", hook.Id))).ShouldBe(0);

        receiver.Status = 200;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (receiver.On("/day").Count < created.Count && host.Clock.GetUtcNow() - start < TimeSpan.FromDays(3) && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            var pending = await admin.DeliveriesAsync(hook.Id, "?status=pending");
            // The head is the one waiting for a retry; the events behind it are due but wait for it (ordering).
            var next = pending.Select(p => p.GetProperty("nextAttemptAt").GetDateTimeOffset()).DefaultIfEmpty(host.Clock.GetUtcNow()).Max();
            if (next > host.Clock.GetUtcNow()) host.Clock.SetUtcNow(next);
            await Task.Delay(150);
        }

        var delivered = await Eventually.Until(() => receiver.On("/day"), r => r.Count >= created.Count, TimeSpan.FromSeconds(5),
            $"every event; the log: {string.Join(" | ", (await admin.DeliveriesAsync(hook.Id)).Select(d => d.GetRawText()))}");
        delivered.Select(r => r.Json.GetProperty("data").GetProperty("id").GetGuid()).ShouldBe(created);
        (await host.ScalarAsync("select count(*) from webhook_deliveries where subscription_id = @s and status = 'pending'", ("s", hook.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task A_slow_batch_records_what_it_delivered_while_it_is_still_sending_so_a_killed_instance_resends_little()
    {
        var (_, admin) = await host.NewTenantAsync();
        var hook = await admin.SubscribeAsync(receiver.Url("/slow"), new[] { "lead.created" });
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFourth = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = WebhookDispatcher.RecordEvery + TimeSpan.FromMilliseconds(100);
        async Task HoldFirst()
        {
            firstArrived.TrySetResult();
            await releaseFirst.Task;
        }
        receiver.Hold = n => n switch
        {
            1 => HoldFirst(),
            2 or 3 => Task.Delay(slow),
            4 => releaseFourth.Task,
            _ => Task.CompletedTask,
        };
        var leads = new List<Guid> { await admin.CreateLeadAsync("Slow0") };
        await firstArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Held at the first delivery, so the next four events go out together in the following batch.
        for (var i = 1; i <= 4; i++) leads.Add(await admin.CreateLeadAsync($"Slow{i}"));
        releaseFirst.SetResult();

        // The fourth request is held: a kill now would re-send only it, because the two slow ones before it are recorded.
        // Waited for less than the sender's timeout (15 s), after which the held request would be recorded as failed.
        try
        {
            await Eventually.Until(() => Delivered(), delivered => delivered == 3, TimeSpan.FromSeconds(10),
                "the first delivery and the batch's two slow ones recorded while the batch's third is in flight");
        }
        finally
        {
            releaseFourth.TrySetResult();
        }
        await Eventually.Until(() => Delivered(), delivered => delivered == leads.Count, TimeSpan.FromSeconds(30), "every delivery recorded");
        receiver.On("/slow").Select(r => r.Json.GetProperty("data").GetProperty("id").GetGuid()).ShouldBe(leads);

        Task<long> Delivered() => host.ScalarAsync("select count(*) from webhook_deliveries where subscription_id = @s and status = 'delivered'", ("s", hook.Id));
    }

    [Fact]
    public async Task After_a_rotation_deliveries_carry_signatures_of_both_secrets_for_24_hours_then_of_the_new_one_only()
    {
        var (_, admin) = await host.NewTenantAsync();
        var hook = await admin.SubscribeAsync(receiver.Url("/rotate"));
        var rotated = await (await admin.PostAsync($"/api/v1/webhooks/{hook.Id}/rotate-secret", null)).Content.ReadFromJsonAsync<WebhookClient.Created>();
        rotated!.Secret.ShouldNotBe(hook.Secret);

        await admin.CreateLeadAsync("Both");
        var both = (await ReceivedAsync(1, "a delivery during the rotation")).Single();
        both.Signature!.Split(' ').Length.ShouldBe(2);
        WebhookSignatureTests.Verifies(hook.Secret, both).ShouldBeTrue();
        WebhookSignatureTests.Verifies(rotated.Secret, both).ShouldBeTrue();

        host.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        await admin.CreateLeadAsync("NewOnly");
        var after = (await ReceivedAsync(2, "a delivery after the rotation"))[1];
        WebhookSignatureTests.Verifies(rotated.Secret, after).ShouldBeTrue();
        WebhookSignatureTests.Verifies(hook.Secret, after).ShouldBeFalse();
    }
}
