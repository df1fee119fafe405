using Npgsql;
using NpgsqlTypes;

namespace Switchboard.Features.Webhooks;

internal sealed record ClaimedSubscription(Guid SubscriptionId, Guid TenantId);

internal sealed record SubscriptionState(Guid Id, Guid TenantId, string Url, string Secret, string? PreviousSecret, DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset? FailingSince)
{
    /// <summary>Events past the cursor that this fan-out could not take yet (beyond its limit, or of a transaction still running then).</summary>
    public bool MoreEvents { get; init; }
}

internal sealed record PendingDelivery(Guid Id, Guid EventId, int Attempt, DateTimeOffset? NextAttemptAt, byte[] Body);

/// <summary>What one attempt came to; <see cref="RetryAt"/> when another attempt follows.</summary>
internal sealed record AttemptOutcome(Guid DeliveryId, bool Delivered, DateTimeOffset AttemptedAt, int? ResponseStatus, string? ResponseBody, string? Error,
    int DurationMs, string RequestHeaders, DateTimeOffset? RetryAt);

/// <summary>
/// The dispatcher's SQL (ADR 0055). The queue statements work across tenants on webhook_queue (a platform table of ids
/// and times); everything else runs in a transaction that enters the subscription's tenant, under row-level security.
/// </summary>
internal sealed class WebhookStore(string connectionString, string workerId, TimeSpan lease)
{
    public const string Channel = "switchboard_webhooks";

    public async Task<IReadOnlyList<ClaimedSubscription>> ClaimAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            update webhook_queue set locked_by = @worker, locked_until = now() + @lease, woken = false
            where subscription_id in (
              select subscription_id from webhook_queue
              where due_at <= @now and (locked_until is null or locked_until < now())
              order by due_at
              limit @limit
              for update skip locked)
            returning subscription_id, tenant_id
            """, connection);
        command.Parameters.AddWithValue("worker", workerId);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var claimed = new List<ClaimedSubscription>();
        while (await reader.ReadAsync(ct)) claimed.Add(new ClaimedSubscription(reader.GetGuid(0), reader.GetGuid(1)));
        return claimed;
    }

    /// <summary>New events in these tenants: their subscriptions are due now (and stay due if claimed meanwhile).</summary>
    /// <summary>The tenants with events numbered above <paramref name="seq"/>, each with its highest number (webhook_events_since).</summary>
    public async Task<IReadOnlyList<(Guid Tenant, long MaxSeq)>> EventsSinceAsync(long seq, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand("select tenant_id, max_seq from webhook_events_since(@seq)", connection);
        command.Parameters.AddWithValue("seq", seq);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var found = new List<(Guid, long)>();
        while (await reader.ReadAsync(ct)) found.Add((reader.GetGuid(0), reader.GetInt64(1)));
        return found;
    }

    public async Task WakeAsync(IReadOnlyCollection<Guid> tenants, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "update webhook_queue set due_at = least(due_at, @now), woken = true where tenant_id = any(@tenants)", connection);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("tenants", tenants.ToArray());
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> RenewAsync(Guid subscriptionId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "update webhook_queue set locked_until = now() + @lease where subscription_id = @id and locked_by = @worker", connection);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("id", subscriptionId);
        command.Parameters.AddWithValue("worker", workerId);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Hands the subscription back, due again at <paramref name="dueAt"/> (or at once if new events came meanwhile).</summary>
    public async Task ReleaseAsync(Guid subscriptionId, DateTimeOffset dueAt)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("""
            update webhook_queue set due_at = case when woken then due_at else @due end, locked_by = null, locked_until = null, woken = false
            where subscription_id = @id and locked_by = @worker
            """, connection);
        command.Parameters.AddWithValue("due", dueAt);
        command.Parameters.AddWithValue("id", subscriptionId);
        command.Parameters.AddWithValue("worker", workerId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Locks the subscription, adds a pending delivery for each new event it wants (fan-out), moves its cursor, and
    /// returns it; null when it is gone or disabled. Only events of transactions older than every running one are
    /// taken (pg_snapshot_xmin), so a transaction that commits later cannot leave an event behind the cursor.
    /// </summary>
    public async Task<SubscriptionState?> FanOutAsync(ClaimedSubscription claimed, DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await EnterAsync(connection, claimed.TenantId, ct);
        SubscriptionState? state;
        await using (var select = new NpgsqlCommand("""
            select id, url, secret, previous_secret, previous_secret_expires_at, failing_since from webhook_subscriptions
            where tenant_id = @t and id = @s and enabled for update
            """, connection, tx))
        {
            select.Parameters.AddWithValue("t", claimed.TenantId);
            select.Parameters.AddWithValue("s", claimed.SubscriptionId);
            await using var reader = await select.ExecuteReaderAsync(ct);
            state = await reader.ReadAsync(ct)
                ? new SubscriptionState(reader.GetGuid(0), claimed.TenantId, reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5))
                : null;
        }
        if (state is null) return null;
        await using (var fanOut = new NpgsqlCommand("""
            with s as (
              select cursor_xact, cursor_seq, events, changed_fields, created_at from webhook_subscriptions where tenant_id = @t and id = @s
            ), fresh as (
              select e.id, e.xact, e.seq, e.type, e.changed, e.created_at from webhook_events e, s
              where e.tenant_id = @t and (e.xact, e.seq) > (s.cursor_xact, s.cursor_seq)
                and e.xact < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
              order by e.xact, e.seq
              limit @limit
            ), added as (
              insert into webhook_deliveries (tenant_id, id, subscription_id, event_id, event_xact, event_seq, attempt, status, created_at, next_attempt_at)
              select @t, gen_random_uuid(), @s, f.id, f.xact, f.seq, 1, 'pending', @now, @now
              from fresh f, s
              where f.created_at >= s.created_at
                and ('*' = any(s.events) or f.type = any(s.events))
                and (s.changed_fields is null or f.changed is null or f.changed && s.changed_fields)
              returning 1
            ), last as (
              select xact, seq from fresh order by xact desc, seq desc limit 1
            )
            update webhook_subscriptions w set cursor_xact = last.xact, cursor_seq = last.seq
            from last where w.tenant_id = @t and w.id = @s and (select count(*) from added) >= 0
            """, connection, tx))
        {
            fanOut.Parameters.AddWithValue("t", claimed.TenantId);
            fanOut.Parameters.AddWithValue("s", claimed.SubscriptionId);
            fanOut.Parameters.AddWithValue("now", now);
            fanOut.Parameters.AddWithValue("limit", limit);
            await fanOut.ExecuteNonQueryAsync(ct);
        }
        await using (var more = new NpgsqlCommand("""
            select exists (select from webhook_events e, webhook_subscriptions s
                           where s.tenant_id = @t and s.id = @s and e.tenant_id = @t and (e.xact, e.seq) > (s.cursor_xact, s.cursor_seq))
            """, connection, tx))
        {
            more.Parameters.AddWithValue("t", claimed.TenantId);
            more.Parameters.AddWithValue("s", claimed.SubscriptionId);
            state = state with { MoreEvents = (bool)(await more.ExecuteScalarAsync(ct))! };
        }
        await tx.CommitAsync(ct);
        return state;
    }

    /// <summary>The subscription's first pending deliveries in event order, with the bytes to send.</summary>
    public async Task<IReadOnlyList<PendingDelivery>> PendingAsync(ClaimedSubscription claimed, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await EnterAsync(connection, claimed.TenantId, ct);
        await using var command = new NpgsqlCommand("""
            select d.id, d.event_id, d.attempt, d.next_attempt_at, e.body
            from webhook_deliveries d join webhook_events e on e.tenant_id = d.tenant_id and e.id = d.event_id
            where d.tenant_id = @t and d.subscription_id = @s and d.status = 'pending'
            order by d.event_xact, d.event_seq, d.created_at
            limit @limit
            """, connection, tx);
        command.Parameters.AddWithValue("t", claimed.TenantId);
        command.Parameters.AddWithValue("s", claimed.SubscriptionId);
        command.Parameters.AddWithValue("limit", limit);
        var pending = new List<PendingDelivery>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                pending.Add(new PendingDelivery(reader.GetGuid(0), reader.GetGuid(1), reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), Encoding.UTF8.GetBytes(reader.GetString(4))));
        }
        await tx.CommitAsync(ct);
        return pending;
    }

    /// <summary>
    /// Records a round's attempts in one transaction: each attempted row ends delivered or failed, a retry gets a new
    /// pending row, and the subscription's failing-since (and, when it was disabled, enabled and the reason) follow.
    /// </summary>
    public async Task RecordAsync(ClaimedSubscription claimed, IReadOnlyList<AttemptOutcome> outcomes, DateTimeOffset? failingSince, string? disabledReason,
        DateTimeOffset now)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var tx = await EnterAsync(connection, claimed.TenantId, CancellationToken.None);
        await using var command = new NpgsqlCommand("""
            update webhook_deliveries d
            set status = case when u.delivered then 'delivered' else 'failed' end, attempted_at = u.at, response_status = u.rs,
                response_body = u.rb, error = u.err, duration_ms = u.dur, request_headers = u.h::jsonb, next_attempt_at = null
            from unnest(@ids, @delivered, @ats, @rss, @rbs, @errs, @durs, @hs) as u(id, delivered, at, rs, rb, err, dur, h)
            where d.tenant_id = @t and d.id = u.id and d.status = 'pending';

            insert into webhook_deliveries (tenant_id, id, subscription_id, event_id, event_xact, event_seq, attempt, status, created_at, next_attempt_at)
            select d.tenant_id, gen_random_uuid(), d.subscription_id, d.event_id, d.event_xact, d.event_seq, d.attempt + 1, 'pending', @now, u.next
            from webhook_deliveries d join unnest(@retry_ids, @retry_at) as u(id, next) on d.id = u.id
            where d.tenant_id = @t;

            update webhook_subscriptions
            set failing_since = @failing_since,
                enabled = enabled and @disabled_reason::text is null,
                disabled_reason = coalesce(@disabled_reason, disabled_reason),
                version = version + case when enabled and @disabled_reason::text is not null then 1 else 0 end,
                updated_at = case when enabled and @disabled_reason::text is not null then @now else updated_at end
            where tenant_id = @t and id = @s;
            """, connection, tx);
        command.Parameters.AddWithValue("t", claimed.TenantId);
        command.Parameters.AddWithValue("s", claimed.SubscriptionId);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("ids", outcomes.Select(o => o.DeliveryId).ToArray());
        command.Parameters.AddWithValue("delivered", outcomes.Select(o => o.Delivered).ToArray());
        command.Parameters.AddWithValue("ats", outcomes.Select(o => o.AttemptedAt).ToArray());
        command.Parameters.AddWithValue("rss", outcomes.Select(o => o.ResponseStatus).ToArray());
        command.Parameters.Add(new NpgsqlParameter("rbs", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = outcomes.Select(o => o.ResponseBody).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("errs", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = outcomes.Select(o => o.Error).ToArray() });
        command.Parameters.AddWithValue("durs", outcomes.Select(o => o.DurationMs).ToArray());
        command.Parameters.AddWithValue("hs", outcomes.Select(o => o.RequestHeaders).ToArray());
        var retries = outcomes.Where(o => o.RetryAt is not null).ToList();
        command.Parameters.AddWithValue("retry_ids", retries.Select(o => o.DeliveryId).ToArray());
        command.Parameters.AddWithValue("retry_at", retries.Select(o => o.RetryAt!.Value).ToArray());
        command.Parameters.Add(new NpgsqlParameter("failing_since", NpgsqlDbType.TimestampTz) { Value = (object?)failingSince ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("disabled_reason", NpgsqlDbType.Text) { Value = (object?)disabledReason ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }

    /// <summary>Deletes delivery rows and events older than the cutoff in every tenant (webhook_prune).</summary>
    public async Task<long> PruneAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("select webhook_prune(@cutoff)", connection, tx);
        command.Parameters.AddWithValue("cutoff", cutoff);
        var pruned = (long)(await command.ExecuteScalarAsync(ct))!;
        await tx.CommitAsync(ct);
        return pruned;
    }

    private static async Task<NpgsqlTransaction> EnterAsync(NpgsqlConnection connection, Guid tenantId, CancellationToken ct)
    {
        var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("select set_config('app.tenant_id', @t, true)", connection, tx);
        command.Parameters.AddWithValue("t", tenantId.ToString());
        await command.ExecuteNonQueryAsync(ct);
        return tx;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }
}
