using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Mailboxes;
using Switchboard.Features.Outreach;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The browser host with the sender worker off: the test records each email's outcome as the sender would.</summary>
public sealed class CampaignsBrowserHost : BrowserHost
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Outreach:Enabled"] = "false" };
}

/// <summary>
/// Campaigns (ADR 0061): a manager creates an email campaign to a saved view from the Campaigns page, starts it, and
/// watches its progress fill as the sender records the outcomes; then the list shows it completed.
/// </summary>
public sealed class CampaignsPageTests(CampaignsBrowserHost host) : IClassFixture<CampaignsBrowserHost>
{
    [Fact]
    public async Task A_manager_creates_and_starts_an_email_campaign_and_sees_its_progress_complete()
    {
        var tag = "Cmpgn" + Guid.NewGuid().ToString("N")[..6];
        var manager = await host.As("manager");
        for (var i = 0; i < 12; i++)
            (await manager.PostAsJsonAsync("/api/v1/leads", new { firstName = "Lee", lastName = $"{tag}{i:00}", email = $"lee{i}.{tag}@example.com" })).EnsureSuccessStatusCode();
        (await manager.PostAsJsonAsync("/api/v1/leads", new { firstName = "No", lastName = $"{tag}mail" })).EnsureSuccessStatusCode();
        (await manager.PostAsJsonAsync("/api/v1/views", new { entity = "lead", name = "Spring list", shared = true, definition = new { filters = Array.Empty<object>(), search = tag } })).EnsureSuccessStatusCode();
        await InTenantAsync(async (db, _) =>
        {
            var now = DateTimeOffset.UtcNow;
            db.Add(new Mailbox
            {
                TenantId = host.Tenant.Id, Id = Guid.CreateVersion7(), Kind = MailboxKinds.Shared, Name = "Marketing", Address = "marketing@fixture.test",
                ImapHost = "127.0.0.1", ImapPort = 9, ImapSecurity = "none", ImapUsername = "x", SmtpHost = "127.0.0.1", SmtpPort = 9, SmtpSecurity = "none",
                SmtpUsername = "x", Secret = "unused", CreatedAt = now, UpdatedAt = now,
            });
            return await db.SaveChangesAsync();
        });

        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Campaigns", Exact = true }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/campaigns$"));
        await ui.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Spring <offer>");
        await ui.Page.GetByLabel("Audience (a saved view)").SelectOptionAsync(new SelectOptionValue { Label = "Leads: Spring list" });
        await ui.Page.GetByLabel("Send from").SelectOptionAsync(new SelectOptionValue { Label = "Marketing <marketing@fixture.test>" });
        await ui.Page.GetByLabel("Subject", new() { Exact = true }).FillAsync("Hello {{ recipient.first_name }}");
        await ui.Page.GetByLabel("Text", new() { Exact = true }).FillAsync("Our spring offer.");
        await ui.ScreenshotAsync("campaigns-new.png");
        await ui.Page.GetByTestId("campaign-create").ClickAsync();

        await Expect(ui.Page.GetByTestId("campaign-name")).ToHaveTextAsync("Spring <offer>");
        await Expect(ui.Page.GetByTestId("campaign-status")).ToHaveTextAsync("draft");
        await ui.Page.GetByTestId("campaign-start").ClickAsync();
        await Expect(ui.Page.GetByTestId("campaign-status")).ToHaveTextAsync("running");
        var id = Guid.Parse(new Uri(ui.Page.Url).Segments[^1]);
        // The job writes 13 recipients: 12 emails queued, one skipped without an address.
        await Expect(ui.Page.GetByTestId("campaign-processed")).ToContainTextAsync("1 of 13 processed", new() { Timeout = 15_000 });
        await ui.Page.ReloadAsync();
        await Expect(ui.Page.GetByTestId("recipient-row")).ToHaveCountAsync(13);
        await ui.ScreenshotAsync("campaign-running.png");

        // As the sender does: record each email's outcome and tell the observers, in one transaction.
        var emails = await InTenantAsync((db, _) => db.Set<OutboundEmail>().AsNoTracking().Where(e => e.Source == "campaign" && e.SourceId == id).Select(e => e.Id).ToListAsync());
        emails.Count.ShouldBe(12);
        foreach (var emailId in emails)
            await InTenantAsync(async (db, services) =>
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                var email = await db.Set<OutboundEmail>().SingleAsync(e => e.Id == emailId);
                email.Status = emailId == emails[0] ? OutboundEmailStatus.Failed : OutboundEmailStatus.Sent;
                await db.SaveChangesAsync();
                foreach (var observer in services.GetServices<IOutboundEmailOutcomeObserver>()) await observer.OnOutcomeAsync(email, CancellationToken.None);
                await db.SaveChangesAsync();
                await tx.CommitAsync();
                return true;
            });

        // The progress card polls itself while the campaign runs.
        await Expect(ui.Page.GetByTestId("campaign-status")).ToHaveTextAsync("completed", new() { Timeout = 15_000 });
        await Expect(ui.Page.GetByTestId("campaign-processed")).ToContainTextAsync("13 of 13 processed (100%)");
        await Expect(ui.Page.GetByTestId("campaign-sent")).ToHaveTextAsync("11");
        await Expect(ui.Page.GetByTestId("campaign-failed")).ToHaveTextAsync("1");
        await Expect(ui.Page.GetByTestId("campaign-skipped")).ToHaveTextAsync("1");
        await Expect(ui.Page.GetByTestId("campaign-pause")).ToHaveCountAsync(0);
        await ui.ScreenshotAsync("campaign-completed.png");

        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "All campaigns" }).ClickAsync();
        var row = ui.Page.GetByTestId("campaign-row").Filter(new() { HasText = "Spring <offer>" });
        await Expect(row).ToContainTextAsync("completed");
        await Expect(row).ToContainTextAsync("13 of 13");
        await ui.ScreenshotAsync("campaigns-list.png");
        ui.Problems.ShouldBeEmpty();

        // Agents do not see campaigns.
        await using var agentUi = await host.OpenAsync();
        await agentUi.SignInAsync(host.Tenant.Email("agent"));
        await Expect(agentUi.Page.GetByRole(AriaRole.Link, new() { Name = "Campaigns", Exact = true })).ToHaveCountAsync(0);
    }

    private async Task<T> InTenantAsync<T>(Func<SwitchboardDbContext, IServiceProvider, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == host.Tenant.Id);
        await scope.ServiceProvider.GetRequiredService<TenantContext>().EnterTenantAsync(TenantMessages.Settings(tenant), TenantRole.Superadmin);
        return await work(db, scope.ServiceProvider);
    }
}
