using Microsoft.AspNetCore.DataProtection;
using Switchboard.Features.Users;

namespace Switchboard.Features.Webhooks;

/// <summary>
/// Managing a tenant's webhooks (ADR 0055): administrators, and API keys with the webhooks scope. The secret is shown
/// on create and rotation only and stored encrypted; every change is audited (the audit interceptor, secrets masked);
/// another tenant's webhook is not found.
/// </summary>
[Scoped]
public sealed class WebhookService(SwitchboardDbContext db, TenantContext ctx, PrivateNetworkGuard guard, IDataProtectionProvider protection, TimeProvider clock)
{
    public const int MaxUrlLength = 2000;
    public const int MaxDescriptionLength = 500;
    public const int DeliveryPageSize = 200;
    public static readonly TimeSpan PreviousSecretValidity = TimeSpan.FromHours(24);

    private readonly IDataProtector _secrets = protection.CreateProtector(WebhookDispatcher.SecretsPurpose);

    public static bool CanManage(TenantContext ctx) => UserService.CanManage(ctx) && ctx.TenantId is not null;

    private static Outcome<T> Refused<T>() => new Outcome<T>.Forbidden("Only administrators can manage webhooks.");

    public async Task<Outcome<WebhookSecret>> CreateAsync(WebhookWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return Refused<WebhookSecret>();
        var errors = body.BindingErrors();
        if (!body.Url.IsSet) errors.Add("url", "Url is required.");
        if (!body.Events.IsSet) errors.Add("events", "Events are required: a list of event types, or [\"*\"] for all.");
        var values = await ValidateAsync(body, errors, ct);
        if (!errors.IsValid) return new Outcome<WebhookSecret>.Invalid(errors.ToDictionary());

        var secret = WebhookSignature.NewSecret();
        var now = clock.GetUtcNow();
        var subscription = new WebhookSubscription
        {
            TenantId = ctx.RequiredTenantId, Id = Guid.CreateVersion7(), Url = values.Url!, Events = values.Events!, Description = values.Description,
            ChangedFields = values.ChangedFields, Enabled = values.Enabled ?? true, Secret = _secrets.Protect(secret), CreatedBy = ctx.UserId,
            CreatedAt = now, UpdatedAt = now,
        };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(ct);
        return new WebhookSecret(subscription.Id, secret);
    }

    public async Task<Outcome<WebhookList>> ListAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Refused<WebhookList>();
        var rows = await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).ToListAsync(ct);
        return new WebhookList(rows.Select(WebhookDto.Of).ToList());
    }

    public async Task<Outcome<WebhookDto>> GetAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage(ctx)) return Refused<WebhookDto>();
        return await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) is { } s
            ? WebhookDto.Of(s) : new Outcome<WebhookDto>.NotFound();
    }

    public async Task<Outcome<WebhookDto>> UpdateAsync(Guid id, WebhookWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return Refused<WebhookDto>();
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (subscription is null) return new Outcome<WebhookDto>.NotFound();
        var errors = body.BindingErrors();
        var values = await ValidateAsync(body, errors, ct);
        if (!errors.IsValid) return new Outcome<WebhookDto>.Invalid(errors.ToDictionary());
        if (body.Url.IsSet) subscription.Url = values.Url!;
        if (body.Events.IsSet) subscription.Events = values.Events!;
        if (body.Description.IsSet) subscription.Description = values.Description;
        if (body.ChangedFields.IsSet) subscription.ChangedFields = values.ChangedFields;
        if (values.Enabled is { } enabled && enabled != subscription.Enabled)
        {
            subscription.Enabled = enabled;
            if (enabled)
            {
                subscription.DisabledReason = null;
                subscription.FailingSince = null;
            }
        }
        await db.SaveChangesAsync(ct);
        return WebhookDto.Of(subscription);
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage(ctx)) return Refused<bool>();
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (subscription is null) return new Outcome<bool>.NotFound();
        db.WebhookSubscriptions.Remove(subscription);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>A new secret; the current one becomes the previous one and stays valid (both signatures sent) for 24 hours.</summary>
    public async Task<Outcome<WebhookSecret>> RotateSecretAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage(ctx)) return Refused<WebhookSecret>();
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (subscription is null) return new Outcome<WebhookSecret>.NotFound();
        var secret = WebhookSignature.NewSecret();
        subscription.PreviousSecret = subscription.Secret;
        subscription.PreviousSecretExpiresAt = clock.GetUtcNow() + PreviousSecretValidity;
        subscription.Secret = _secrets.Protect(secret);
        await db.SaveChangesAsync(ct);
        return new WebhookSecret(subscription.Id, secret);
    }

    /// <summary>The delivery log, newest first: attempts and pending ones, by status and from an instant.</summary>
    public async Task<Outcome<WebhookDeliveryList>> DeliveriesAsync(Guid id, string? status, DateTimeOffset? from, CancellationToken ct)
    {
        if (!CanManage(ctx)) return Refused<WebhookDeliveryList>();
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id, ct)) return new Outcome<WebhookDeliveryList>.NotFound();
        if (status is not null && !WebhookDeliveryStatuses.All.Contains(status))
            return new Outcome<WebhookDeliveryList>.Invalid(new Dictionary<string, string[]>
            {
                ["status"] = [$"'{status}' is not a delivery status: use one of {string.Join(", ", WebhookDeliveryStatuses.All)}."],
            });
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id);
        if (status is not null) query = query.Where(d => d.Status == status);
        if (from is { } since) query = query.Where(d => d.CreatedAt >= since.ToUniversalTime());
        var items = await (from d in query
                           join e in db.WebhookEvents on d.EventId equals e.Id
                           orderby d.CreatedAt descending, d.Attempt descending
                           select new WebhookDeliveryDto(d.Id, d.EventId, e.Type, d.Attempt, d.Status, d.ResponseStatus, d.ResponseBody, d.Error,
                               d.DurationMs, d.CreatedAt, d.AttemptedAt, d.NextAttemptAt))
            .Take(DeliveryPageSize).ToListAsync(ct);
        return new WebhookDeliveryList(items);
    }

    /// <summary>
    /// Each subscription's last delivery (the Webhooks page's "last delivery" column): the newest attempt made, or the
    /// pending one when none was made yet, by subscription id. Subscriptions that were never sent anything are absent.
    /// </summary>
    public async Task<Outcome<IReadOnlyDictionary<Guid, WebhookLastDelivery>>> LastDeliveriesAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Refused<IReadOnlyDictionary<Guid, WebhookLastDelivery>>();
        var rows = await db.WebhookDeliveries.AsNoTracking()
            .GroupBy(d => d.SubscriptionId)
            .Select(g => g.OrderByDescending(d => d.AttemptedAt != null).ThenByDescending(d => d.AttemptedAt ?? d.CreatedAt).ThenByDescending(d => d.Attempt)
                .Select(d => new WebhookLastDelivery(d.SubscriptionId, d.Status, d.ResponseStatus, d.AttemptedAt ?? d.CreatedAt))
                .First())
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.SubscriptionId);
    }

    /// <summary>Sends the delivery's event again: a new attempt 1, same event id, after whatever the subscription has pending before it.</summary>
    public async Task<Outcome<WebhookDeliveryDto>> ReplayAsync(Guid id, Guid deliveryId, CancellationToken ct)
    {
        if (!CanManage(ctx)) return Refused<WebhookDeliveryDto>();
        var original = await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deliveryId && d.SubscriptionId == id, ct);
        if (original is null) return new Outcome<WebhookDeliveryDto>.NotFound();
        var type = await db.WebhookEvents.Where(e => e.Id == original.EventId).Select(e => e.Type).SingleAsync(ct);
        var replay = NewPending(id, original.EventId, original.EventXact, original.EventSeq);
        db.WebhookDeliveries.Add(replay);
        await db.SaveChangesAsync(ct);
        await WakeAsync(ct);
        return new WebhookDeliveryDto(replay.Id, replay.EventId, type, replay.Attempt, replay.Status, null, null, null, null, replay.CreatedAt, null, replay.NextAttemptAt);
    }

    /// <summary>Sends again every event delivered or attempted to the subscription since <see cref="WebhookReplaySince.Since"/>, in event order.</summary>
    public async Task<Outcome<WebhookReplayed>> ReplaySinceAsync(Guid id, WebhookReplaySince body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return Refused<WebhookReplayed>();
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id, ct)) return new Outcome<WebhookReplayed>.NotFound();
        var errors = body.BindingErrors();
        if (body.Since.Value is null && !errors.Has("since")) errors.Add("since", "Since is required: an ISO 8601 instant such as 2026-03-01T00:00:00Z.");
        if (!errors.IsValid) return new Outcome<WebhookReplayed>.Invalid(errors.ToDictionary());
        var since = body.Since.Value!.Value.ToUniversalTime();
        var events = await (from d in db.WebhookDeliveries
                            join e in db.WebhookEvents on d.EventId equals e.Id
                            where d.SubscriptionId == id && e.CreatedAt >= since && d.Status != WebhookDeliveryStatuses.Pending
                            select new { d.EventId, d.EventXact, d.EventSeq })
            .Distinct().ToListAsync(ct);
        foreach (var e in events.OrderBy(e => e.EventXact).ThenBy(e => e.EventSeq))
            db.WebhookDeliveries.Add(NewPending(id, e.EventId, e.EventXact, e.EventSeq));
        await db.SaveChangesAsync(ct);
        await WakeAsync(ct);
        return new WebhookReplayed(events.Count);
    }

    private WebhookDelivery NewPending(Guid subscriptionId, Guid eventId, long xact, long seq)
    {
        var now = clock.GetUtcNow();
        return new WebhookDelivery
        {
            TenantId = ctx.RequiredTenantId, Id = Guid.CreateVersion7(), SubscriptionId = subscriptionId, EventId = eventId, EventXact = xact, EventSeq = seq,
            Attempt = 1, Status = WebhookDeliveryStatuses.Pending, CreatedAt = now, NextAttemptAt = now,
        };
    }

    /// <summary>Wakes the dispatchers for this tenant (as new events do).</summary>
    private Task WakeAsync(CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync($"select pg_notify('{WebhookStore.Channel}', {{0}})", [ctx.RequiredTenantId.ToString()], ct);

    private sealed record Values(string? Url, string[]? Events, string? Description, string[]? ChangedFields, bool? Enabled);

    private async Task<Values> ValidateAsync(WebhookWrite body, ValidationErrors errors, CancellationToken ct)
    {
        string? url = null;
        if (body.Url.IsSet)
        {
            url = body.Url.Value?.Trim();
            errors.Required("url", url, "Url", MaxUrlLength);
            if (!errors.Has("url") && await guard.ProblemAsync(url!, ct) is { } problem) errors.Add("url", problem);
        }
        string[]? events = null;
        if (body.Events.IsSet)
        {
            var listed = body.Events.Value ?? [];
            if (listed.Count == 0) errors.Add("events", "Name at least one event type, or [\"*\"] for all.");
            foreach (var type in listed.Where(t => t != WebhookEventTypes.All && !WebhookEventTypes.Known.Contains(t)))
                errors.Add("events", $"'{type}' is not an event type. Use \"*\" or some of: {string.Join(", ", WebhookEventTypes.Known)}.");
            events = listed.Contains(WebhookEventTypes.All) ? [WebhookEventTypes.All] : listed.Distinct().ToArray();
        }
        var description = body.Description.Value?.Trim();
        if (description is { Length: 0 }) description = null;
        errors.MaxLength("description", description, "Description", MaxDescriptionLength);
        string[]? changed = null;
        if (body.ChangedFields.Value is { } fields)
        {
            if (fields.Any(f => string.IsNullOrWhiteSpace(f) || f.Length > 100)) errors.Add("changedFields", "Each changed field is a field's API name, such as status.");
            changed = fields.Count == 0 ? null : fields.Select(f => f?.Trim() ?? "").Distinct().ToArray();
        }
        return new Values(url, events, description, changed, body.Enabled.Value);
    }
}
