using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Outreach;
using Switchboard.Features.Webhooks;
using Switchboard.Platform.Database;
using Switchboard.Testing;
using Xunit.Abstractions;

namespace Switchboard.Tests.Features.Outreach;

/// <summary>
/// The product as a real OS process, killed with SIGKILL while it sends a campaign, restarted, killed again, and left
/// to finish (ADR 0059). What it proves deterministically: no email is lost (every row ends 'sent', every recipient
/// received its message), and no recipient ever gets two DIFFERENT messages — every copy carries the row's one
/// Message-ID. A kill that lands between the SMTP server accepting a message and its append to the Sent folder makes
/// the next worker send it again (the one window the ADR names); such copies are counted and bounded by the sends that
/// could be in flight at the kills (Concurrency × kills), not asserted absent.
/// </summary>
public sealed class OutreachCrashTests(OutreachHost host, ITestOutputHelper output) : IClassFixture<OutreachHost>
{
    private const int Emails = 300;
    private const int Concurrency = 2;

    [Fact]
    public async Task Three_kill_9s_of_the_sending_process_lose_no_email_and_never_send_a_recipient_two_different_messages()
    {
        var (mailbox, address) = await host.MailboxAsync();
        (await (await host.As("admin")).PutAsJsonAsync($"/api/v1/mailboxes/{mailbox}/outreach", new { perMinute = 1000, perDay = 100000 })).EnsureSuccessStatusCode();
        var (campaign, rows) = await CampaignAsync(mailbox);
        var smtp = host.Smtp(address);
        var settings = new Dictionary<string, string?>
        {
            ["Outreach:Concurrency"] = Concurrency.ToString(), ["Outreach:LeaseSeconds"] = "5", ["Outreach:ScanSeconds"] = "0.2",
            ["Mailboxes:WatchEnabled"] = "false", ["Webhooks:Enabled"] = "false",
        };

        var kills = 0;
        foreach (var threshold in new[] { 40, 120, 200 })
        {
            await using var product = ProductProcess.Start(host.Database, settings);
            await Eventually.Until(() => Task.FromResult(smtp.Received.Count), n => n >= threshold || product.HasExited, TimeSpan.FromSeconds(120),
                $"{threshold} messages at the SMTP server; the product said: {product.Output}");
            product.HasExited.ShouldBeFalse(product.Output);
            product.Kill();
            kills++;
            output.WriteLine($"kill {kills}: {smtp.Received.Count} messages received, {await CountAsync(OutboundEmailStatus.Sending)} rows left 'sending'");
        }
        (await CountAsync(OutboundEmailStatus.Sent)).ShouldBeLessThan(Emails, "the kills came after all were sent: the test proved nothing");

        await using (var last = ProductProcess.Start(host.Database, settings))
        {
            await Eventually.Until(() => CountAsync(OutboundEmailStatus.Sent), n => n == Emails || last.HasExited, TimeSpan.FromSeconds(180),
                $"every row sent; the product said: {last.Output}");
            last.HasExited.ShouldBeFalse(last.Output);
        }

        var byRecipient = smtp.Received.GroupBy(m => m.To.Mailboxes.Single().Address).ToDictionary(g => g.Key, g => g.Select(m => m.MessageId).ToList());
        var duplicates = smtp.Received.Count - Emails;
        output.WriteLine($"{smtp.Received.Count} messages for {Emails} emails: {duplicates} resent from the in-doubt window");
        byRecipient.Count.ShouldBe(Emails);
        foreach (var row in rows)
        {
            byRecipient.ShouldContainKey(row.ToAddress);
            byRecipient[row.ToAddress].Distinct().ShouldBe([row.MessageId], $"{row.ToAddress} got another message than its row's");
        }
        smtp.Received.Select(m => m.MessageId).Distinct().Count().ShouldBe(Emails);
        duplicates.ShouldBeLessThanOrEqualTo(kills * Concurrency);
        var final = await host.InTenantAsync(services => services.GetRequiredService<SwitchboardDbContext>().Set<OutboundEmail>().AsNoTracking()
            .Where(o => o.MailboxId == mailbox).ToListAsync());
        final.Count.ShouldBe(Emails);
        final.ShouldAllBe(o => o.Status == OutboundEmailStatus.Sent && o.EmailId != null);
        var stored = await host.InTenantAsync(services => services.GetRequiredService<SwitchboardDbContext>().Set<Switchboard.Features.Mailboxes.EmailMessage>()
            .AsNoTracking().CountAsync(m => m.MailboxId == mailbox));
        stored.ShouldBe(Emails);

        // The campaign counted each recipient once, through the kills, and told webhooks at every tenth exactly once.
        var admin = await host.As("admin");
        var done = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{campaign}");
        done.GetProperty("status").GetString().ShouldBe("completed");
        done.GetProperty("processed").GetInt32().ShouldBe(Emails);
        done.GetProperty("sent").GetInt32().ShouldBe(Emails);
        var progress = await host.InTenantAsync(services => services.GetRequiredService<SwitchboardDbContext>().Set<WebhookEvent>().AsNoTracking()
            .Where(e => e.Type == "campaign.progress").Select(e => e.Body).ToListAsync());
        progress.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("data").GetProperty("processed").GetInt32()).Order()
            .ShouldBe(Enumerable.Range(1, Emails / 10).Select(i => i * 10));
    }

    /// <summary>An email campaign to <see cref="Emails"/> new leads, started and queued by the test host (whose sender is off).</summary>
    private async Task<(Guid Campaign, List<OutboundEmail> Rows)> CampaignAsync(Guid mailbox)
    {
        var admin = await host.As("admin");
        var leads = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(OutreachHost.Recipients(Emails), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (to, ct) =>
        {
            var created = await admin.PostAsJsonAsync("/api/v1/leads", new { firstName = "Rita", lastName = "Recipient", email = to }, ct);
            created.EnsureSuccessStatusCode();
            leads.Add((await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid());
        });
        var response = await admin.PostAsJsonAsync("/api/v1/campaigns", new
        {
            name = "Launch", kind = "email", audience = new { entity = "lead", ids = leads.ToArray() }, mailboxId = mailbox,
            subject = "Launch day, {{ recipient.first_name }}", textBody = "We launched.",
        });
        response.EnsureSuccessStatusCode();
        var campaign = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/v1/campaigns/{campaign}/start", null)).EnsureSuccessStatusCode();
        var rows = await Eventually.Until(() => host.InTenantAsync(services => services.GetRequiredService<SwitchboardDbContext>().Set<OutboundEmail>()
                .AsNoTracking().Where(o => o.SourceId == campaign).ToListAsync()),
            r => r.Count == Emails, TimeSpan.FromSeconds(120), "the campaign's emails to be queued");
        return (campaign, rows);
    }

    private Task<int> CountAsync(string status) => host.InTenantAsync(services =>
        services.GetRequiredService<SwitchboardDbContext>().Set<OutboundEmail>().CountAsync(o => o.Status == status));
}
