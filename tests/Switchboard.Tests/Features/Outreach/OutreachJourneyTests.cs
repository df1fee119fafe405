using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Sequences;
using Switchboard.Features.Webhooks;
using Switchboard.Platform.Database;
using Switchboard.Testing;
using Switchboard.Tests.Features.Mailboxes;
using Switchboard.Tests.Features.Sequences;

namespace Switchboard.Tests.Features.Outreach;

/// <summary>
/// The outreach host with the sequence scheduler driven by the test, so a sequence step, the real sender and the
/// outcome observers of sequences and campaigns meet as they do in production.
/// </summary>
public sealed class OutreachJourneyHost : OutreachHost
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Sequences:SchedulerEnabled"] = "false",
        ["Jobs:PollSeconds"] = "0.2",
    };

    public Task<int> RunSequencesAsync() => Services.GetRequiredService<SequenceScheduler>().RunDueAsync(CancellationToken.None);
}

/// <summary>Sequences and campaigns sending through the real sender worker, and what comes back from it.</summary>
public sealed class OutreachJourneyTests(OutreachJourneyHost host) : IClassFixture<OutreachJourneyHost>
{
    private static readonly object EmailStep = new { type = "email", subject = "Hello {{ recipient.first_name }}", body = "A short note." };

    [Fact]
    public async Task A_sequence_email_goes_out_through_the_sender_and_only_then_does_the_next_step_run()
    {
        var admin = await host.As("admin");
        var (mailbox, address) = await host.MailboxAsync();
        var to = MailboxHost.Unique("lena");
        var lead = await SequenceHost.LeadAsync(admin, to);
        var sequence = await SequenceAsync(admin, mailbox, [EmailStep, new { type = "task", title = "Call Lena about the note" }]);
        await SequenceHost.EnrolAsync(admin, sequence, new { leadIds = new[] { lead } });

        await host.RunSequencesAsync();
        await host.RunSequencesAsync();
        var waiting = await SequenceHost.EnrolmentOfAsync(admin, sequence, lead);
        waiting.GetProperty("awaitingEmail").GetBoolean().ShouldBeTrue();
        waiting.GetProperty("stepIndex").GetInt32().ShouldBe(0);
        host.Smtp(address).Received.ShouldBeEmpty();

        await host.DrainAsync();
        var sent = host.Smtp(address).Received.ShouldHaveSingleItem();
        sent.Subject.ShouldBe("Hello Lena");
        sent.To.Mailboxes.Single().Address.ShouldBe(to);
        sent.Headers["List-Unsubscribe-Post"].ShouldBe("List-Unsubscribe=One-Click");
        var advanced = await SequenceHost.EnrolmentOfAsync(admin, sequence, lead);
        advanced.GetProperty("awaitingEmail").GetBoolean().ShouldBeFalse();
        advanced.GetProperty("stepIndex").GetInt32().ShouldBe(1);

        await host.RunSequencesAsync();
        var done = await SequenceHost.EnrolmentOfAsync(admin, sequence, lead);
        done.GetProperty("status").GetString().ShouldBe("completed");
        var tasks = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/timeline?relatedType=lead&relatedId={lead}");
        tasks.GetRawText().ShouldContain("Call Lena about the note");
        host.Smtp(address).Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Opening_the_unsubscribe_link_keeps_the_sequence_going_and_the_one_click_POST_stops_it()
    {
        var admin = await host.As("admin");
        var (mailbox, address) = await host.MailboxAsync();
        var to = MailboxHost.Unique("otto");
        var lead = await SequenceHost.LeadAsync(admin, to);
        var sequence = await SequenceAsync(admin, mailbox, [EmailStep, new { type = "wait", days = 1 }, EmailStep]);
        await SequenceHost.EnrolAsync(admin, sequence, new { leadIds = new[] { lead } });
        await host.RunSequencesAsync();
        await host.DrainAsync();
        var header = host.Smtp(address).Received.ShouldHaveSingleItem().Headers["List-Unsubscribe"]!;
        var path = new Uri(Regex.Match(header, "<(http[^>]+)>").Groups[1].Value).AbsolutePath;
        using var scanner = host.CreateClient();

        (await scanner.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SequenceHost.EnrolmentOfAsync(admin, sequence, lead)).GetProperty("status").GetString().ShouldBe("active");

        (await scanner.PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var stopped = await SequenceHost.EnrolmentOfAsync(admin, sequence, lead);
        stopped.GetProperty("status").GetString().ShouldBe("stopped");
        stopped.GetProperty("stopReason").GetString().ShouldBe("unsubscribed");
    }

    [Fact]
    public async Task An_email_campaign_is_sent_by_the_sender_and_reports_its_progress_to_webhooks_at_ten_and_at_the_end()
    {
        var admin = await host.As("admin");
        var (mailbox, address) = await host.MailboxAsync();
        // Twelve in one go: above the default 10 a minute, so this mailbox's cap is raised first.
        (await admin.PutAsJsonAsync($"/api/v1/mailboxes/{mailbox}/outreach", new { perMinute = 50, perDay = 500 })).EnsureSuccessStatusCode();
        var leads = new List<Guid>();
        for (var i = 0; i < 12; i++) leads.Add(await SequenceHost.LeadAsync(admin, MailboxHost.Unique("buyer"), $"Buyer {i}"));
        var created = await admin.PostAsJsonAsync("/api/v1/campaigns", new
        {
            name = "Spring offer", kind = "email", audience = new { entity = "lead", ids = leads }, mailboxId = mailbox,
            subject = "Spring offer for {{ recipient.first_name }}", textBody = "Our spring offer.",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var campaign = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/v1/campaigns/{campaign}/start", null)).EnsureSuccessStatusCode();
        await Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{campaign}/recipients?status=queued"),
            r => r.GetProperty("items").GetArrayLength() == 12, "the campaign's twelve recipients to be queued");

        await host.DrainAsync(workers: 3);

        var done = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{campaign}");
        done.GetProperty("status").GetString().ShouldBe("completed");
        done.GetProperty("sent").GetInt32().ShouldBe(12);
        done.GetProperty("processed").GetInt32().ShouldBe(12);
        host.Smtp(address).Received.Count.ShouldBe(12);
        var progress = await host.InTenantAsync(services => services.GetRequiredService<SwitchboardDbContext>().Set<WebhookEvent>().AsNoTracking()
            .Where(e => e.Type == "campaign.progress").OrderBy(e => e.Seq).Select(e => e.Body).ToListAsync());
        var ofThis = progress.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("data"))
            .Where(d => d.GetProperty("campaignId").GetGuid() == campaign).ToList();
        ofThis.Select(d => d.GetProperty("processed").GetInt32()).ShouldBe([10, 12]);
        ofThis.Last().GetProperty("status").GetString().ShouldBe("completed");
    }

    private static async Task<Guid> SequenceAsync(HttpClient client, Guid mailbox, object[] steps)
    {
        var response = await client.PostAsJsonAsync("/api/v1/sequences", new
        {
            name = "Journey " + Guid.NewGuid().ToString("N")[..6], mailboxId = mailbox, steps, windowDays = SequenceHost.EveryDay,
            windowFrom = "00:00", windowTo = "23:59", stopStatuses = Array.Empty<string>(),
        });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
