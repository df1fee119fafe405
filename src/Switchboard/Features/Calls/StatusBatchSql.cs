using Npgsql;

namespace Switchboard.Features.Calls;

/// <summary>The SQL of a status batch (ADR 0006/0007): round trip 1 (lock, record, read) and round trip 2 (write), per tenant.</summary>
internal static class StatusBatchSql
{
    /// <summary>Round trip 1, per tenant: lock its calls (in id order, so concurrent writers cannot deadlock), record the events, read the agents' presence.</summary>
    public static void AddReads(NpgsqlBatch batch, BatchTenantWork tenant, DateTimeOffset now)
    {
        // Only the first of several identical callbacks in the batch is inserted; the others are duplicates of it.
        var firsts = tenant.Items.DistinctBy(x => x.Callback.EventKey).Select(x => x.Callback).ToList();
        var providers = firsts.Select(c => c.Provider).ToArray();
        var sids = firsts.Select(c => c.CallSid).ToArray();
        EnterTenant(batch, tenant.TenantId);
        batch.BatchCommands.Add(Command("""
            select c.provider, c.provider_call_id, c.id, c.status, c.direction, c.agent_id, c.lead_id, c.answered_at, c.ended_at, c.duration_seconds, c.last_sequence, c.ended_by_agent_leg
            from calls c join (select distinct * from unnest($1::text[], $2::text[])) k(provider, sid) on c.provider = k.provider and c.provider_call_id = k.sid
            order by c.id
            for update of c
            """, providers, sids));
        batch.BatchCommands.Add(Command("""
            insert into call_events (tenant_id, id, call_id, provider, event_key, kind, received_at, payload)
            select $1, e.id, c.id, e.provider, e.key, 'status', $2, e.payload::jsonb
            from unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[]) e(id, provider, sid, key, payload)
            left join calls c on c.provider = e.provider and c.provider_call_id = e.sid
            on conflict (tenant_id, provider, event_key) do nothing
            returning event_key
            """, tenant.TenantId, now, firsts.Select(_ => Guid.CreateVersion7()).ToArray(), providers, sids,
            firsts.Select(c => c.EventKey).ToArray(), firsts.Select(c => c.PayloadJson).ToArray()));
        batch.BatchCommands.Add(Command("""
            select p.user_id, p.state, p.since, p.current_call_id from agent_presence p
            where p.user_id in (select c.agent_id from calls c join unnest($1::text[], $2::text[]) k(provider, sid)
                                on c.provider = k.provider and c.provider_call_id = k.sid)
               or p.user_id = any($3::uuid[])
            """, providers, sids, firsts.Where(c => c.Update.AgentLeg is not null).Select(c => c.Update.AgentLeg!.Value).Distinct().ToArray()));
    }

    public static async Task ReadAsync(NpgsqlDataReader reader, BatchTenantWork tenant)
    {
        await reader.NextResultAsync(); // set_config
        while (await reader.ReadAsync())
            tenant.Calls[(reader.GetString(0), reader.GetString(1))] = new BatchCall(reader.GetGuid(2), reader.GetString(3), reader.GetString(4),
                Nullable<Guid>(reader, 5), Nullable<Guid>(reader, 6), Nullable<DateTimeOffset>(reader, 7), Nullable<DateTimeOffset>(reader, 8),
                Nullable<int>(reader, 9), Nullable<int>(reader, 10), reader.GetBoolean(11));
        await reader.NextResultAsync();
        while (await reader.ReadAsync()) tenant.Recorded.Add(reader.GetString(0));
        await reader.NextResultAsync();
        while (await reader.ReadAsync())
            tenant.Presence[reader.GetGuid(0)] = new BatchPresence(reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), Nullable<Guid>(reader, 3));
        await reader.NextResultAsync();
    }

    /// <summary>Round trip 2, per tenant: the calls' final state, one audit row per transition, presence, and the realtime notices in order.</summary>
    public static void AddWrites(NpgsqlBatch batch, BatchTenantWork tenant, DateTimeOffset now)
    {
        var changed = tenant.Calls.Values.Where(c => c.Transitions > 0).ToList();
        if (changed.Count == 0 && tenant.PresenceChanged.Count == 0) return;
        EnterTenant(batch, tenant.TenantId);
        if (changed.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                update calls c set status = u.status, answered_at = u.answered_at, ended_at = u.ended_at, duration_seconds = u.duration,
                                   last_sequence = u.sequence, agent_id = u.agent_id, ended_by_agent_leg = u.ended_by_agent_leg,
                                   updated_at = $1, version = c.version + u.transitions
                from unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[], $7::int[], $8::int[], $9::uuid[], $10::boolean[])
                     u(id, status, answered_at, ended_at, duration, sequence, transitions, agent_id, ended_by_agent_leg)
                where c.id = u.id
                """, now, changed.Select(c => c.Id).ToArray(), changed.Select(c => c.Status).ToArray(),
                changed.Select(c => c.AnsweredAt).ToArray(), changed.Select(c => c.EndedAt).ToArray(),
                changed.Select(c => c.Duration).ToArray(), changed.Select(c => c.LastSequence).ToArray(), changed.Select(c => c.Transitions).ToArray(),
                changed.Select(c => c.AgentId).ToArray(), changed.Select(c => c.EndedByAgentLeg).ToArray()));
            batch.BatchCommands.Add(Command("""
                insert into audit_log (id, tenant_id, occurred_at, actor_type, actor_id, actor_name, action, entity_type, entity_id, changes, ip, user_agent)
                select a.id, $1, $2, $3, null, a.actor, $4, 'call', a.entity, a.changes::jsonb, a.ip, a.agent
                from unnest($5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) a(id, actor, entity, changes, ip, agent)
                """, tenant.TenantId, now, AuditActorTypes.System, AuditActions.Updated.Name, tenant.Audits.Select(_ => Guid.CreateVersion7()).ToArray(), tenant.Audits.Select(a => a.Callback.ActorName).ToArray(),
                tenant.Audits.Select(a => a.CallId.ToString()).ToArray(), tenant.Audits.Select(a => a.Changes).ToArray(),
                tenant.Audits.Select(a => a.Callback.Ip).ToArray(), tenant.Audits.Select(a => a.Callback.UserAgent).ToArray()));
            AddCompletedEvents(batch, tenant, changed, now);
        }
        if (tenant.PresenceChanged.Count > 0)
        {
            var agents = tenant.PresenceChanged.ToArray();
            batch.BatchCommands.Add(Command("""
                insert into agent_presence (tenant_id, user_id, state, since, current_call_id)
                select $1, p.user_id, p.state, p.since, p.call_id from unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::uuid[]) p(user_id, state, since, call_id)
                on conflict (tenant_id, user_id) do update set state = excluded.state, since = excluded.since, current_call_id = excluded.current_call_id
                """, tenant.TenantId, agents, agents.Select(a => tenant.Presence[a].State).ToArray(),
                agents.Select(a => tenant.Presence[a].Since).ToArray(), agents.Select(a => tenant.Presence[a].CurrentCallId).ToArray()));
        }
        batch.BatchCommands.Add(Command("select pg_notify($1, n) from unnest($2::text[]) with ordinality t(n, i) order by i",
            RealtimeEvents.Channel, tenant.Notices.ToArray()));
    }

    /// <summary>
    /// The outbound webhooks' call.completed (ADR 0055) for each call this batch ended, written in the batch's transaction
    /// as <see cref="CallWebhookEvents"/> writes it for EF changes: the body <c>{id, type, tenantId, createdAt, data}</c>
    /// with <c>data</c> the call as <see cref="CallDto"/> serialises it, read after the update above.
    /// </summary>
    private static void AddCompletedEvents(NpgsqlBatch batch, BatchTenantWork tenant, List<BatchCall> changed, DateTimeOffset now)
    {
        var ended = changed.Where(c => !CallStatuses.IsTerminal(c.StatusBefore) && CallStatuses.IsTerminal(c.Status)).ToList();
        if (ended.Count == 0) return;
        batch.BatchCommands.Add(Command($"""
            insert into webhook_events (tenant_id, id, type, created_at, body)
            select $1, e.id, '{CallWebhookEvents.Completed}', $2, json_build_object(
                'id', e.id, 'type', '{CallWebhookEvents.Completed}', 'tenantId', $1, 'createdAt', {Iso("$2")}, 'data', json_build_object(
                  'id', c.id, 'direction', c.direction, 'from', c.from_number, 'to', c.to_number, 'leadId', c.lead_id, 'agentId', c.agent_id,
                  'provider', c.provider, 'providerCallId', c.provider_call_id, 'status', c.status, 'createdAt', {Iso("c.created_at")},
                  'answeredAt', {Iso("c.answered_at")}, 'endedAt', {Iso("c.ended_at")}, 'durationSeconds', c.duration_seconds,
                  'disposition', c.disposition, 'notes', c.notes, 'callbackAt', {Iso("c.callback_at")}, 'recordingUrl', c.recording_url,
                  'recordingDuration', c.recording_duration, 'transcript', c.transcript, 'contactId', c.contact_id))::text
            from unnest($3::uuid[], $4::uuid[]) with ordinality e(id, call_id, i)
            join calls c on c.id = e.call_id
            order by e.i
            """, tenant.TenantId, now, ended.Select(_ => Guid.CreateVersion7(now)).ToArray(), ended.Select(c => c.Id).ToArray()));
    }

    /// <summary>A timestamptz as the API writes it: ISO-8601 in UTC with its offset, or null.</summary>
    private static string Iso(string column) => $"""to_char({column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')""";

    /// <summary>Sets the tenant for row-level security until the transaction ends (the next tenant in the batch sets its own).</summary>
    private static void EnterTenant(NpgsqlBatch batch, Guid tenantId) =>
        batch.BatchCommands.Add(Command(
            "select set_config('app.tenant_id', $1, true), set_config('app.user_id', '', true), set_config('app.platform', 'off', true)",
            tenantId.ToString()));

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    private static T? Nullable<T>(NpgsqlDataReader reader, int ordinal) where T : struct =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
}
