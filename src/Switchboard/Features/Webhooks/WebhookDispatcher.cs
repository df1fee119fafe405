using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace Switchboard.Features.Webhooks;

/// <summary>
/// Delivers webhook events (ADR 0055), on every instance. Work is claimed per subscription from webhook_queue with
/// FOR UPDATE SKIP LOCKED and a lease, so instances share it and one subscription is worked by one dispatcher at a
/// time; within a subscription, deliveries go out in event order and a failing head holds the ones behind it until it
/// is delivered or has failed for good. Wakes for a tenant's new events by scanning the events' sequence every
/// ScanSeconds (changes send no NOTIFY: it would serialise their commits), on NOTIFY for a replay, and polls as a fallback.
/// </summary>
// Wide on purpose: connections, options, clock and logger are ambient; a delivery decrypts the subscription's secret,
// sends, and tells the administrators when a subscription is turned off.
internal sealed class WebhookDispatcher(DatabaseConnections connections, WebhookSender sender, WebhookAdminNotice notice,
    IDataProtectionProvider protection, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string SecretsPurpose = "Switchboard.Webhooks.Secrets.v1";
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a batch's delivered outcomes may wait for their record. An instance killed mid-batch re-sends every
    /// delivery not yet recorded (at least once, by design), so this bounds the duplicates of a crash to the last quarter
    /// second of sending plus the one in flight, not a whole batch; a fast endpoint still gets one record per batch.
    /// </summary>
    internal static readonly TimeSpan RecordEvery = TimeSpan.FromMilliseconds(250);

    private readonly IDataProtector _secrets = protection.CreateProtector(SecretsPurpose);
    private readonly Channel<Guid> _woken = Channel.CreateUnbounded<Guid>();
    private readonly string _workerId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private DateTimeOffset _prunedAt = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        var store = new WebhookStore(connections.Runtime, _workerId, TimeSpan.FromSeconds(settings.LeaseSeconds));
        var poll = TimeSpan.FromSeconds(settings.PollSeconds);
        var listening = ListenAsync(poll, stopping);
        var scanning = ScanAsync(store, TimeSpan.FromSeconds(settings.ScanSeconds), stopping);
        var running = new HashSet<Task>();
        while (!stopping.IsCancellationRequested)
        {
            running.RemoveWhere(t => t.IsCompleted);
            try
            {
                await WakeAsync(store, stopping);
                await PruneAsync(store, stopping);
                var free = settings.Concurrency - running.Count;
                if (free > 0)
                {
                    var claimed = await store.ClaimAsync(clock.GetUtcNow(), free, stopping);
                    foreach (var subscription in claimed) running.Add(WorkAsync(store, subscription, settings, stopping));
                    if (claimed.Count == free) continue;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Webhook dispatcher {WorkerId} could not claim work; retrying after the poll interval", _workerId);
            }
            await WaitAsync(running, poll, stopping);
        }
        await Task.WhenAll(running);
        await listening;
        await scanning;
    }

    private async Task WakeAsync(WebhookStore store, CancellationToken ct)
    {
        var tenants = new HashSet<Guid>();
        while (_woken.Reader.TryRead(out var tenant)) tenants.Add(tenant);
        if (tenants.Count > 0) await store.WakeAsync(tenants, clock.GetUtcNow(), ct);
    }

    private async Task PruneAsync(WebhookStore store, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (now - _prunedAt < PruneEvery) return;
        _prunedAt = now;
        var pruned = await store.PruneAsync(now.AddDays(-options.Value.RetentionDays), ct);
        if (pruned > 0) logger.LogInformation("Webhook dispatcher pruned {Rows} delivery and event rows", pruned);
    }

    private async Task WaitAsync(IEnumerable<Task> running, TimeSpan poll, CancellationToken stopping)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var waits = new List<Task>(running) { Task.Delay(poll, cancel.Token), _woken.Reader.WaitToReadAsync(cancel.Token).AsTask() };
        await Task.WhenAny(waits);
        await cancel.CancelAsync();
    }

    /// <summary>Works one claimed subscription: rounds of fan-out and in-order delivery until it is idle, blocked or gone.</summary>
    private async Task WorkAsync(WebhookStore store, ClaimedSubscription claimed, WebhookOptions settings, CancellationToken stopping)
    {
        await Task.Yield();
        var dueAt = clock.GetUtcNow() + TimeSpan.FromSeconds(settings.PollSeconds);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var round = await RoundAsync(store, claimed, settings, stopping);
                if (round is null) return; // gone or disabled: the queue row went with it
                if (round.Value.Again && await store.RenewAsync(claimed.SubscriptionId, stopping)) continue;
                dueAt = round.Value.DueAt;
                break;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            dueAt = clock.GetUtcNow();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Webhook subscription {SubscriptionId}: a delivery round failed; trying again after the poll interval", claimed.SubscriptionId);
        }
        await store.ReleaseAsync(claimed.SubscriptionId, dueAt);
    }

    /// <summary>One round; null when the subscription is gone or was disabled, else when to look again (or at once).</summary>
    private async Task<(bool Again, DateTimeOffset DueAt)?> RoundAsync(WebhookStore store, ClaimedSubscription claimed, WebhookOptions settings, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var idleDue = now + TimeSpan.FromSeconds(settings.PollSeconds);
        var subscription = await store.FanOutAsync(claimed, now, settings.BatchSize * 10, ct);
        if (subscription is null) return null;
        var pending = await store.PendingAsync(claimed, settings.BatchSize, ct);
        if (pending.Count == 0 && subscription.MoreEvents)
        {
            // Events of a transaction that was still running when the fan-out looked: look again in a moment.
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
            return (true, now);
        }
        if (pending.Count == 0) return (false, idleDue);

        var secrets = Secrets(subscription, now);
        var outcomes = new List<AttemptOutcome>(pending.Count);
        var failingSince = subscription.FailingSince;
        string? disabled = null;
        DateTimeOffset? blockedUntil = null;
        var recordedAt = Stopwatch.GetTimestamp();
        foreach (var delivery in pending)
        {
            now = clock.GetUtcNow();
            if (delivery.NextAttemptAt > now)
            {
                blockedUntil = delivery.NextAttemptAt;
                break;
            }
            var sent = await sender.SendAsync(subscription.Url, secrets, delivery.EventId, delivery.Body, ct);
            if (sent.Delivered)
            {
                failingSince = null;
                outcomes.Add(Outcome(delivery, sent, now, null));
                if (Stopwatch.GetElapsedTime(recordedAt) >= RecordEvery)
                {
                    await store.RecordAsync(claimed, outcomes, failingSince, null, clock.GetUtcNow());
                    outcomes.Clear();
                    recordedAt = Stopwatch.GetTimestamp();
                }
                continue;
            }
            failingSince ??= now;
            var retryAt = delivery.Attempt < WebhookOptions.MaxAttempts ? now + WebhookOptions.RetrySchedule[delivery.Attempt - 1] : (DateTimeOffset?)null;
            if (sent.Gone)
            {
                disabled = "The endpoint answered 410 Gone.";
                retryAt = null;
            }
            else if (now - failingSince >= TimeSpan.FromDays(settings.DisableAfterDays))
            {
                disabled = $"The endpoint has failed every attempt since {failingSince:yyyy-MM-dd HH:mm} UTC.";
            }
            outcomes.Add(Outcome(delivery, sent, now, retryAt));
            if (disabled is not null) break;
            if (retryAt is not null)
            {
                blockedUntil = retryAt;
                break;
            }
        }
        if (outcomes.Count > 0) await store.RecordAsync(claimed, outcomes, failingSince, disabled, clock.GetUtcNow());
        if (disabled is not null)
        {
            logger.LogWarning("Webhook subscription {SubscriptionId} disabled: {Reason}", claimed.SubscriptionId, disabled);
            await notice.SendAsync(claimed.TenantId, subscription.Url, disabled, ct);
            return null;
        }
        if (blockedUntil is { } until) return (false, until);
        return pending.Count == settings.BatchSize || subscription.MoreEvents ? (true, now) : (false, idleDue);
    }

    private static AttemptOutcome Outcome(PendingDelivery delivery, SendResult sent, DateTimeOffset at, DateTimeOffset? retryAt) =>
        new(delivery.Id, sent.Delivered, at, sent.Status, sent.ResponseBody, sent.Error, sent.DurationMs, sent.RequestHeaders, retryAt);

    private List<string> Secrets(SubscriptionState subscription, DateTimeOffset now)
    {
        var secrets = new List<string> { _secrets.Unprotect(subscription.Secret) };
        if (subscription.PreviousSecret is { } previous && subscription.PreviousSecretExpiresAt > now) secrets.Add(_secrets.Unprotect(previous));
        return secrets;
    }

    /// <summary>LISTENs for new events on a dedicated connection; each notification names the tenant whose subscriptions are due.</summary>
    /// <summary>
    /// Wakes the tenants whose events came since the last scan. The first scan (from 0) wakes every tenant with events
    /// in the retention window once. A transaction that commits after a later-numbered one was scanned is not seen
    /// here; its subscriptions' periodic poll finds its events within PollSeconds.
    /// </summary>
    private async Task ScanAsync(WebhookStore store, TimeSpan every, CancellationToken stopping)
    {
        var seen = 0L;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                foreach (var (tenant, maxSeq) in await store.EventsSinceAsync(seen, stopping))
                {
                    _woken.Writer.TryWrite(tenant);
                    seen = Math.Max(seen, maxSeq);
                }
                await Task.Delay(every, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Webhook dispatcher {WorkerId} could not scan for new events; trying again", _workerId);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(TimeSpan retry, CancellationToken stopping)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(connections.Session) { Pooling = false, KeepAlive = 30 }.ConnectionString;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stopping);
                connection.Notification += (_, e) =>
                {
                    if (Guid.TryParse(e.Payload, out var tenant)) _woken.Writer.TryWrite(tenant);
                };
                await using (var listen = new NpgsqlCommand($"listen {WebhookStore.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                while (true) await connection.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Webhook dispatcher {WorkerId} lost its LISTEN connection; polling until it reconnects", _workerId);
                try
                {
                    await Task.Delay(retry, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
