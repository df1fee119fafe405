using MailKit;
using MailKit.Net.Imap;

namespace Switchboard.Features.Mailboxes;

/// <summary>Wakes this instance's watcher at once (a mailbox was connected or changed) instead of at its next scan.</summary>
[Singleton]
public sealed class MailboxWatcherSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);
}

/// <summary>
/// Keeps new mail arriving within a minute, on any number of instances. Every <see cref="MailboxOptions.ScanSeconds"/>
/// each instance claims (and renews) leases on mailboxes through <c>mailbox_watch_claim</c> — one holder per mailbox —
/// and holds one IMAP connection per leased mailbox: it syncs, then waits in IDLE on INBOX until the server reports a
/// change or <see cref="MailboxOptions.PollSeconds"/> pass (the fallback sync), then syncs again; a server without IDLE
/// is polled every PollSeconds. A lease this instance no longer holds (it stalled and another took over) stops its
/// watch; an instance that dies leaves its leases to expire, and another instance's next scan takes them.
/// </summary>
public sealed class MailboxWatcher(
    IServiceScopeFactory scopes, MailboxWatcherSignal signal, MailServers servers, IOptions<MailboxOptions> options, TimeProvider clock,
    ILogger<MailboxWatcher> logger) : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly Dictionary<(Guid Tenant, Guid Mailbox), (Task Task, CancellationTokenSource Stop)> _watching = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.WatchEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(settings, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "The mailbox watcher could not claim its mailboxes");
            }
            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(settings.ScanSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        foreach (var (_, (task, stop)) in _watching) await stop.CancelAsync();
        await Task.WhenAll(_watching.Values.Select(w => w.Task));
    }

    private async Task ScanAsync(MailboxOptions settings, CancellationToken ct)
    {
        foreach (var key in _watching.Where(w => w.Value.Task.IsCompleted).Select(w => w.Key).ToList()) _watching.Remove(key);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var now = clock.GetUtcNow();
        var held = await db.Database.SqlQuery<Lease>(
            $"select tenant_id as \"TenantId\", id as \"Id\" from mailbox_watch_claim({_owner}, {now}, {now.AddSeconds(settings.LeaseSeconds)}, {settings.MaxWatchedPerInstance})")
            .ToListAsync(ct);
        var keys = held.Select(l => (l.TenantId, l.Id)).ToHashSet();
        foreach (var (key, (_, stop)) in _watching.Where(w => !keys.Contains(w.Key)).ToList())
        {
            await stop.CancelAsync();
            _watching.Remove(key);
        }
        foreach (var key in keys.Where(k => !_watching.ContainsKey(k)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _watching[key] = (Task.Run(() => WatchAsync(key.TenantId, key.Id, settings, stop.Token), CancellationToken.None), stop);
        }
    }

    private async Task WatchAsync(Guid tenantId, Guid mailboxId, MailboxOptions settings, CancellationToken ct)
    {
        var poll = TimeSpan.FromSeconds(settings.PollSeconds);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await LoadAsync(tenantId, mailboxId, ct) is not { IsActive: true } mailbox) return;
                using var client = await servers.OpenImapAsync(mailbox, ct);
                await SyncAsync(tenantId, mailboxId, client, ct);
                while (!ct.IsCancellationRequested && client.IsConnected)
                {
                    if (client.Capabilities.HasFlag(ImapCapabilities.Idle)) await IdleAsync(client, poll, ct);
                    else await Task.Delay(poll, clock, ct);
                    await SyncAsync(tenantId, mailboxId, client, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Watching mailbox {MailboxId} failed; trying again in {Seconds} s", mailboxId, settings.PollSeconds);
                await RecordErrorAsync(tenantId, mailboxId, e.Message);
                try { await Task.Delay(poll, clock, ct); } catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>IDLE on INBOX until the server reports new or expunged mail, or <paramref name="poll"/> passes.</summary>
    private async Task IdleAsync(ImapClient client, TimeSpan poll, CancellationToken ct)
    {
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        using var done = new CancellationTokenSource(poll, clock);
        void Changed(object? sender, EventArgs e) => done.Cancel();
        inbox.CountChanged += Changed;
        try
        {
            await client.IdleAsync(done.Token, ct);
        }
        finally
        {
            inbox.CountChanged -= Changed;
        }
    }

    private async Task<Mailbox?> LoadAsync(Guid tenantId, Guid mailboxId, CancellationToken ct)
    {
        await using var scope = await EnterAsync(tenantId, ct);
        return scope is not { } entered ? null : await entered.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Set<Mailbox>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == mailboxId, ct);
    }

    private async Task SyncAsync(Guid tenantId, Guid mailboxId, ImapClient client, CancellationToken ct)
    {
        await using var scope = await EnterAsync(tenantId, ct) ?? throw new InvalidOperationException($"Tenant {tenantId} does not exist.");
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var mailbox = await db.Set<Mailbox>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == mailboxId, ct)
            ?? throw new OperationCanceledException("The mailbox was removed.");
        var sync = scope.ServiceProvider.GetRequiredService<MailboxSync>();
        var report = await sync.SyncAsync(client, mailbox, ct);
        await sync.RecordAsync(mailboxId, report, reconcile: false, error: null, ct);
    }

    private async Task RecordErrorAsync(Guid tenantId, Guid mailboxId, string error)
    {
        try
        {
            await using var scope = await EnterAsync(tenantId, CancellationToken.None);
            if (scope is { } entered) await entered.ServiceProvider.GetRequiredService<MailboxSync>().RecordAsync(mailboxId, null, false, error, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not record the error of mailbox {MailboxId}", mailboxId);
        }
    }

    private Task<AsyncServiceScope?> EnterAsync(Guid tenantId, CancellationToken ct) => scopes.EnterTenantAsync(tenantId, "mailbox-watcher", ct);

    private sealed record Lease(Guid TenantId, Guid Id);
}
