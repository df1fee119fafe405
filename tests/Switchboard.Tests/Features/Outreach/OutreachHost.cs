using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Mailboxes;
using Switchboard.Features.Outreach;
using Switchboard.Platform.Database;
using Switchboard.Testing;
using Switchboard.Tests.Features.Mailboxes;

namespace Switchboard.Tests.Features.Outreach;

/// <summary>
/// The app with one tenant, a real dovecot and a TestSmtpServer per mailbox, with the sender worker OFF: each test
/// drives <see cref="OutreachSender"/> itself (<see cref="DrainAsync"/>), so it decides when and how many workers send.
/// The inbound-email job runs as in production (bounce reports reach <see cref="OutreachBounces"/> through it).
/// </summary>
public class OutreachHost : SwitchboardHostWithTenant
{
    private readonly ConcurrentDictionary<string, TestSmtpServer> _smtp = new();

    public TestImapServer Imap { get; private set; } = null!;

    /// <summary>What the outcome observers were told, in order (id, status, bounced).</summary>
    public RecordingOutcomeObserver Outcomes { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IOutboundEmailOutcomeObserver>(Outcomes);

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Mailboxes:WatchEnabled"] = "false",
        ["Outreach:Enabled"] = WorkerEnabled ? "true" : "false",
        ["Outreach:ScanSeconds"] = "0.2",
    };

    protected virtual bool WorkerEnabled => false;

    public override async Task InitializeAsync()
    {
        Imap = await TestImapServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var smtp in _smtp.Values) await smtp.DisposeAsync();
        await Imap.DisposeAsync();
    }

    public TestSmtpServer Smtp(string address) => _smtp[address];

    /// <summary>A dovecot user and SMTP server for a new address, connected as a personal mailbox of the admin.</summary>
    public async Task<(Guid Id, string Address)> MailboxAsync(TestSmtpOptions? smtpOptions = null)
    {
        var admin = await As("admin");
        var address = MailboxHost.Unique("sender");
        await Imap.AddUserAsync(address, MailboxHost.ImapPassword);
        var smtp = await TestSmtpServer.StartAsync((smtpOptions ?? new TestSmtpOptions()) with { Username = address, Password = MailboxHost.ImapPassword });
        _smtp[address] = smtp;
        var response = await admin.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            kind = "personal", name = "Sales", address, imapHost = "127.0.0.1", imapPort = Imap.Port, imapSecurity = "none", imapUsername = address,
            smtpHost = "127.0.0.1", smtpPort = smtp.Port, smtpSecurity = "none", password = MailboxHost.ImapPassword, visibility = "full", memberIds = Array.Empty<Guid>(),
        });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), address);
    }

    /// <summary>Runs work in the fixture tenant as the sender's system actor, in a new scope.</summary>
    public Task<T> InTenantAsync<T>(Func<IServiceProvider, Task<T>> work, Guid? tenantId = null) =>
        OutreachScope.RunAsync(Services.GetRequiredService<IServiceScopeFactory>(), tenantId ?? Tenant.Id, work, CancellationToken.None);

    /// <summary>Queues emails as a campaign would (OutboundEmails.EnqueueAsync in its own unit of work); returns their rows.</summary>
    public Task<List<OutboundEmail>> EnqueueAsync(Guid mailbox, IEnumerable<string> recipients, string subject = "Hello", Guid? tenantId = null) =>
        InTenantAsync(async services =>
        {
            var db = services.GetRequiredService<SwitchboardDbContext>();
            var queue = services.GetRequiredService<OutboundEmails>();
            var rows = new List<OutboundEmail>();
            var campaign = Guid.NewGuid();
            foreach (var to in recipients)
                rows.Add(await queue.EnqueueAsync(new OutboundEmailRequest($"campaign:{campaign}:{to}", OutboundEmailSources.Campaign, campaign, mailbox, to, "Rita Recipient",
                    null, null, null, subject, $"Hi, this is {subject}.", $"<p>Hi, this is {subject}.</p>", DateTimeOffset.UtcNow.AddSeconds(-1)), CancellationToken.None));
            await db.SaveChangesAsync();
            return rows;
        }, tenantId);

    /// <summary>Sends until nothing is due, with <paramref name="workers"/> loops at once; returns every step taken.</summary>
    public async Task<List<SendStep>> DrainAsync(int workers = 1, Guid? tenantId = null)
    {
        var steps = new ConcurrentQueue<SendStep>();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var step = await InTenantAsync(services => services.GetRequiredService<OutreachSender>().SendNextAsync(CancellationToken.None), tenantId);
                if (step == SendStep.Idle) return;
                steps.Enqueue(step);
            }
        })));
        return steps.ToList();
    }

    public Task<OutboundEmail> RowAsync(Guid id, Guid? tenantId = null) =>
        InTenantAsync(services => services.GetRequiredService<SwitchboardDbContext>().Set<OutboundEmail>().AsNoTracking().SingleAsync(o => o.Id == id), tenantId);

    public Task<Suppression?> SuppressionAsync(string address, Guid? tenantId = null) =>
        InTenantAsync(services => services.GetRequiredService<SwitchboardDbContext>().Set<Suppression>().AsNoTracking().SingleOrDefaultAsync(s => s.Address == address), tenantId);

    public static List<string> Recipients(int count) => Enumerable.Range(0, count).Select(_ => MailboxHost.Unique("to")).ToList();
}

public sealed class RecordingOutcomeObserver : IOutboundEmailOutcomeObserver
{
    public ConcurrentQueue<(Guid Id, string Status, DateTimeOffset? BouncedAt, string To)> Told { get; } = new();

    public Task OnOutcomeAsync(OutboundEmail email, CancellationToken ct)
    {
        Told.Enqueue((email.Id, email.Status, email.BouncedAt, email.ToAddress));
        return Task.CompletedTask;
    }

    public List<(Guid Id, string Status, DateTimeOffset? BouncedAt, string To)> For(Guid id) => Told.Where(t => t.Id == id).ToList();
}
