using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Mailboxes;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Mailboxes;

/// <summary>
/// The app with one tenant, a real dovecot for IMAP and, per mailbox user, a TestSmtpServer that requires that user's
/// credentials. The watcher is off here (syncs are run through POST /mailboxes/{id}/sync), so each test decides when
/// a sync happens; <see cref="MailboxWatchHost"/> turns it on.
/// </summary>
public class MailboxHost : SwitchboardHostWithTenant
{
    public const string ImapPassword = "Imap-lantern-58";
    private readonly ConcurrentDictionary<string, TestSmtpServer> _smtp = new();

    public TestImapServer Imap { get; private set; } = null!;

    /// <summary>What the inbound-email hook was told, in order.</summary>
    public RecordingInboundObserver Inbound { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IInboundEmailObserver>(Inbound);

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Mailboxes:WatchEnabled"] = "false",
        ["Mailboxes:BatchSize"] = "5",
    };

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

    /// <summary>A new dovecot user and SMTP server for <paramref name="address"/>, and the body that connects them.</summary>
    public async Task<object> MailboxBodyAsync(string address, string? password = null, string kind = "personal", string visibility = "full", Guid[]? memberIds = null)
    {
        await Imap.AddUserAsync(address, ImapPassword);
        var smtp = await TestSmtpServer.StartAsync(new TestSmtpOptions(address, ImapPassword));
        _smtp[address] = smtp;
        return new
        {
            kind, name = $"Mail of {address}", address, imapHost = "127.0.0.1", imapPort = Imap.Port, imapSecurity = "none", imapUsername = address,
            smtpHost = "127.0.0.1", smtpPort = smtp.Port, smtpSecurity = "none", password = password ?? ImapPassword, visibility, memberIds = memberIds ?? [],
        };
    }

    /// <summary>Connects a mailbox for <paramref name="address"/> as <paramref name="client"/> and returns its id.</summary>
    public async Task<Guid> ConnectAsync(HttpClient client, string address, string visibility = "full")
    {
        var response = await client.PostAsJsonAsync("/api/v1/mailboxes", await MailboxBodyAsync(address, visibility: visibility));
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{Imap.Log()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> SyncAsync(HttpClient client, Guid mailbox)
    {
        var response = await client.PostAsync($"/api/v1/mailboxes/{mailbox}/sync", null);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<Guid> LeadAsync(HttpClient client, string email, string firstName = "Lena")
    {
        var response = await client.PostAsJsonAsync("/api/v1/leads", new { firstName, lastName = "Lead", email });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<List<JsonElement>> EmailsOnTimelineAsync(HttpClient client, string type, Guid id)
    {
        var timeline = await client.GetFromJsonAsync<JsonElement>($"/api/v1/timeline?relatedType={type}&relatedId={id}&pageSize=200");
        return timeline.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "email").ToList();
    }

    public static string Unique(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..8]}@example.test";
}

/// <summary>As <see cref="MailboxHost"/>, with the watcher on: it scans every second and polls only hourly, so new mail must come through IDLE.</summary>
public sealed class MailboxWatchHost : MailboxHost
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Mailboxes:WatchEnabled"] = "true",
        ["Mailboxes:ScanSeconds"] = "1",
        ["Mailboxes:PollSeconds"] = "3600",
    };
}

public sealed class RecordingInboundObserver : IInboundEmailObserver
{
    public ConcurrentQueue<InboundEmail> Received { get; } = new();

    public Task OnInboundAsync(InboundEmail email, CancellationToken ct)
    {
        Received.Enqueue(email);
        return Task.CompletedTask;
    }
}
