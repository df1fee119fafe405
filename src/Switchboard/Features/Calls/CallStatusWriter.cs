using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Npgsql;
using Switchboard.Platform.Database;
using Switchboard.Platform.Realtime;

namespace Switchboard.Features.Calls;

/// <summary>One status callback that passed the webhook gate, with who sent it (for the audit row).</summary>
public sealed record StatusCallback(Guid TenantId, string Provider, StatusUpdate Update, string PayloadJson, string ActorName, string? Ip, string? UserAgent)
{
    /// <summary>The call the callback is about: a child leg (a &lt;Dial&gt;ed number) belongs to its parent's call.</summary>
    public string CallSid => Update.ParentCallSid ?? Update.CallSid;

    /// <summary>The idempotency key: a provider retry or duplicate has the same one.</summary>
    public string EventKey => $"status:{Update.CallSid}:{Update.Status}:{Update.SequenceNumber?.ToString() ?? "-"}";
}

/// <summary>
/// The hot path of status callbacks, with group commit (ADR 0006). Each webhook request hands its callback
/// over and waits; one writer takes every callback waiting at that moment and applies them all in a single
/// transaction of three round trips — (1) lock the calls and record the events once, (2) write the
/// transitions with their audit rows, the agents' presence and the realtime notices, (3) commit — then
/// answers every waiting request. The commit is durable before any request is answered, so a 204 still
/// means "stored"; under load one WAL flush serves many callbacks instead of one each.
/// <para>
/// Same rules as <see cref="CallLifecycle"/>, which decides each transition: an event is recorded once
/// (retries are no-ops), and a call never moves backwards. Callbacks in one batch are applied in arrival
/// order against the calls' state as it stands after the earlier ones. Row-level security applies: each
/// tenant's statements run with that tenant set (transaction-local) on the runtime role's connection.
/// If a batch fails, its callbacks are retried one by one, so one bad callback fails only its own request.
/// </para>
/// </summary>
public sealed class CallStatusWriter(DatabaseConnections connections, TimeProvider clock, ILogger<CallStatusWriter> log) : BackgroundService
{
    /// <summary>The most callbacks one transaction takes; more wait for the next.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(8 * MaxBatch) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private sealed record Pending(StatusCallback Callback, TaskCompletionSource<EventOutcome> Done);

    /// <summary>Applies the callback and returns once it is committed (or known to be a duplicate, stale, or for no call).</summary>
    public async Task<EventOutcome> ApplyAsync(StatusCallback callback, CancellationToken ct)
    {
        if (CallStatuses.Rank(callback.Update.Status) < 0) return EventOutcome.Stale; // a status Switchboard does not know is ignored
        var pending = new Pending(callback, new TaskCompletionSource<EventOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, ct);
        // A request that goes away does not take its callback back: it is applied anyway, and a retry is a duplicate.
        return await pending.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        // Runs until the queue is completed (StopAsync), not until stoppingToken: callbacks already taken are finished.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending)) batch.Add(pending);
            await CommitAsync(batch);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task CommitAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            var outcomes = await WriteAsync(batch.Select(p => p.Callback).ToList());
            for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(outcomes[i]);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            log.LogWarning(e, "A batch of {Count} status callbacks failed; applying them one by one", batch.Count);
            foreach (var pending in batch) await CommitAsync([pending]);
        }
        catch (Exception e)
        {
            log.LogError(e, "Status callback {EventKey} for tenant {TenantId} failed", batch[0].Callback.EventKey, batch[0].Callback.TenantId);
            batch[0].Done.TrySetException(e);
        }
    }

    private sealed class CallState(Guid id, string status, string direction, Guid? agentId, Guid? leadId, DateTimeOffset? answeredAt, DateTimeOffset? endedAt, int? duration, int? lastSequence)
    {
        public Guid Id { get; } = id;
        public string Direction { get; } = direction;
        public Guid? AgentId { get; set; } = agentId;
        public Guid? LeadId { get; } = leadId;
        public string Status { get; set; } = status;
        public DateTimeOffset? AnsweredAt { get; set; } = answeredAt;
        public DateTimeOffset? EndedAt { get; set; } = endedAt;
        public int? Duration { get; set; } = duration;
        public int? LastSequence { get; set; } = lastSequence;
        public int Transitions { get; set; }
    }

    private sealed record PresenceState(string State, DateTimeOffset Since, Guid? CurrentCallId);

    private sealed record AuditRow(Guid CallId, string Changes, StatusCallback Callback);

    /// <summary>What one tenant's callbacks in the batch found and changed.</summary>
    private sealed class TenantWork(Guid tenantId, List<(StatusCallback Callback, int Index)> items)
    {
        public Guid TenantId { get; } = tenantId;
        public List<(StatusCallback Callback, int Index)> Items { get; } = items;
        public Dictionary<(string Provider, string Sid), CallState> Calls { get; } = [];
        public HashSet<string> Recorded { get; } = [];
        public Dictionary<Guid, PresenceState> Presence { get; } = [];
        public HashSet<Guid> PresenceChanged { get; } = [];
        public List<AuditRow> Audits { get; } = [];
        public List<string> Notices { get; } = [];
    }

    private async Task<EventOutcome[]> WriteAsync(IReadOnlyList<StatusCallback> callbacks)
    {
        var now = clock.GetUtcNow();
        var outcomes = new EventOutcome[callbacks.Count];
        var work = callbacks.Select((callback, index) => (callback, index))
            .GroupBy(x => x.callback.TenantId)
            .Select(g => new TenantWork(g.Key, g.ToList()))
            .ToList();

        await using var conn = new NpgsqlConnection(connections.Runtime);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();

        await using (var read = new NpgsqlBatch(conn, tx))
        {
            foreach (var tenant in work) AddReads(read, tenant, now);
            await using var reader = await read.ExecuteReaderAsync();
            foreach (var tenant in work) await ReadAsync(reader, tenant);
        }

        foreach (var tenant in work) Decide(tenant, outcomes, now);

        await using (var write = new NpgsqlBatch(conn, tx))
        {
            foreach (var tenant in work) AddWrites(write, tenant, now);
            if (write.BatchCommands.Count > 0) await write.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return outcomes;
    }

    /// <summary>Round trip 1, per tenant: lock its calls (in id order, so concurrent writers cannot deadlock), record the events, read the agents' presence.</summary>
    private static void AddReads(NpgsqlBatch batch, TenantWork tenant, DateTimeOffset now)
    {
        // Only the first of several identical callbacks in the batch is inserted; the others are duplicates of it.
        var firsts = tenant.Items.DistinctBy(x => x.Callback.EventKey).Select(x => x.Callback).ToList();
        var providers = firsts.Select(c => c.Provider).ToArray();
        var sids = firsts.Select(c => c.CallSid).ToArray();
        EnterTenant(batch, tenant.TenantId);
        batch.BatchCommands.Add(Command("""
            select c.provider, c.provider_call_id, c.id, c.status, c.direction, c.agent_id, c.lead_id, c.answered_at, c.ended_at, c.duration_seconds, c.last_sequence
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

    private static async Task ReadAsync(NpgsqlDataReader reader, TenantWork tenant)
    {
        await reader.NextResultAsync(); // set_config
        while (await reader.ReadAsync())
            tenant.Calls[(reader.GetString(0), reader.GetString(1))] = new CallState(reader.GetGuid(2), reader.GetString(3), reader.GetString(4),
                Nullable<Guid>(reader, 5), Nullable<Guid>(reader, 6), Nullable<DateTimeOffset>(reader, 7), Nullable<DateTimeOffset>(reader, 8),
                Nullable<int>(reader, 9), Nullable<int>(reader, 10));
        await reader.NextResultAsync();
        while (await reader.ReadAsync()) tenant.Recorded.Add(reader.GetString(0));
        await reader.NextResultAsync();
        while (await reader.ReadAsync())
            tenant.Presence[reader.GetGuid(0)] = new PresenceState(reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), Nullable<Guid>(reader, 3));
        await reader.NextResultAsync();
    }

    /// <summary>Applies the tenant's callbacks in arrival order to the calls as read (and as changed by earlier callbacks in the batch).</summary>
    private static void Decide(TenantWork tenant, EventOutcome[] outcomes, DateTimeOffset now)
    {
        var seen = new HashSet<string>();
        foreach (var (callback, index) in tenant.Items)
        {
            var update = callback.Update;
            if (!seen.Add(callback.EventKey) || !tenant.Recorded.Contains(callback.EventKey))
            {
                outcomes[index] = EventOutcome.Duplicate;
                continue;
            }
            if (!tenant.Calls.TryGetValue((callback.Provider, callback.CallSid), out var call))
            {
                outcomes[index] = EventOutcome.UnknownCall;
                continue;
            }
            if (update.AgentLeg is { } agent && call.Direction == CallDirections.Inbound)
            {
                outcomes[index] = AgentLeg(tenant, callback, call, agent, update.Status, now);
                continue;
            }
            var next = CallLifecycle.TargetStatus(call.Status, call.Direction, update.ParentCallSid is not null, update.Status);
            if (next is null || CallStatuses.Rank(next) <= CallStatuses.Rank(call.Status))
            {
                outcomes[index] = EventOutcome.Stale;
                continue;
            }

            var at = update.Timestamp?.ToUniversalTime() ?? now;
            var leadLeg = update.ParentCallSid is not null || call.Direction == CallDirections.Inbound;
            // "completed" means the lead answered, even when its "in-progress" has not arrived yet (callbacks can
            // overtake each other): then the answer was CallDuration seconds before the end.
            var answered = call.AnsweredAt ?? next switch
            {
                CallStatuses.InProgress => at,
                CallStatuses.Completed => at.AddSeconds(-(update.DurationSeconds ?? 0)),
                _ => (DateTimeOffset?)null,
            };
            var ended = CallStatuses.IsTerminal(next) ? call.EndedAt ?? at : call.EndedAt;
            var duration = CallStatuses.IsTerminal(next)
                ? answered is null ? 0 : update.DurationSeconds ?? (int)Math.Max(0, (ended!.Value - answered.Value).TotalSeconds)
                : call.Duration;
            var sequence = leadLeg ? update.SequenceNumber ?? call.LastSequence : call.LastSequence;

            var changes = Changes(call, next, answered, ended, duration, sequence, call.AgentId);
            (call.Status, call.AnsweredAt, call.EndedAt, call.Duration, call.LastSequence) = (next, answered, ended, duration, sequence);
            Transition(tenant, callback, call, changes);
            // An outbound call puts its agent on-call; the end of any call puts its agent in wrap-up (if it is still their current call).
            if (call.AgentId is { } agentId && (call.Direction == CallDirections.Outbound || CallStatuses.IsTerminal(next)))
                MovePresence(tenant, call, agentId, CallStatuses.IsTerminal(next) ? PresenceStates.WrapUp : PresenceStates.OnCall, now);
            outcomes[index] = EventOutcome.Applied;
        }
    }

    /// <summary>
    /// An inbound call rings every available agent at once; each agent's phone is a child leg. The first agent to
    /// answer becomes the call's agent and goes on-call; when their leg ends, they go to wrap-up. The call's own
    /// status follows the caller's leg, not these.
    /// </summary>
    private static EventOutcome AgentLeg(TenantWork tenant, StatusCallback callback, CallState call, Guid agent, string status, DateTimeOffset now)
    {
        if (status == CallStatuses.InProgress && !CallStatuses.IsTerminal(call.Status))
        {
            if (call.AgentId != agent)
            {
                var changes = Changes(call, call.Status, call.AnsweredAt, call.EndedAt, call.Duration, call.LastSequence, agent);
                call.AgentId = agent;
                Transition(tenant, callback, call, changes);
            }
            MovePresence(tenant, call, agent, PresenceStates.OnCall, now);
            return EventOutcome.Applied;
        }
        if (CallStatuses.IsTerminal(status) && call.AgentId == agent && tenant.Presence.GetValueOrDefault(agent)?.CurrentCallId == call.Id)
        {
            MovePresence(tenant, call, agent, PresenceStates.WrapUp, now);
            return EventOutcome.Applied;
        }
        return EventOutcome.Stale;
    }

    /// <summary>Counts a change of the call: its audit row (by the callback's sender) and its realtime notice.</summary>
    private static void Transition(TenantWork tenant, StatusCallback callback, CallState call, string changes)
    {
        call.Transitions++;
        tenant.Audits.Add(new AuditRow(call.Id, changes, callback));
        tenant.Notices.Add(RealtimeEvents.Payload(tenant.TenantId, "call.status", new
        {
            callId = call.Id, status = call.Status, direction = call.Direction, agentId = call.AgentId, leadId = call.LeadId,
            durationSeconds = call.Duration, answeredAt = call.AnsweredAt, endedAt = call.EndedAt,
        }));
    }

    /// <summary>Moves the agent to on-call or wrap-up for this call; wrap-up only if this call is still their current one.</summary>
    private static void MovePresence(TenantWork tenant, CallState call, Guid agentId, string state, DateTimeOffset now)
    {
        var presence = tenant.Presence.GetValueOrDefault(agentId);
        if (state == PresenceStates.WrapUp && presence?.CurrentCallId != call.Id) return;
        var since = presence is not null && presence.State == state ? presence.Since : now;
        tenant.Presence[agentId] = new PresenceState(state, since, call.Id);
        tenant.PresenceChanged.Add(agentId);
        tenant.Notices.Add(RealtimeEvents.Payload(tenant.TenantId, "presence.changed", new { userId = agentId, state, since, callId = call.Id }));
    }

    /// <summary>Round trip 2, per tenant: the calls' final state, one audit row per transition, presence, and the realtime notices in order.</summary>
    private static void AddWrites(NpgsqlBatch batch, TenantWork tenant, DateTimeOffset now)
    {
        var changed = tenant.Calls.Values.Where(c => c.Transitions > 0).ToList();
        if (changed.Count == 0 && tenant.PresenceChanged.Count == 0) return;
        EnterTenant(batch, tenant.TenantId);
        if (changed.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                update calls c set status = u.status, answered_at = u.answered_at, ended_at = u.ended_at, duration_seconds = u.duration,
                                   last_sequence = u.sequence, agent_id = u.agent_id, updated_at = $1, version = c.version + u.transitions
                from unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[], $7::int[], $8::int[], $9::uuid[])
                     u(id, status, answered_at, ended_at, duration, sequence, transitions, agent_id)
                where c.id = u.id
                """, now, changed.Select(c => c.Id).ToArray(), changed.Select(c => c.Status).ToArray(),
                changed.Select(c => c.AnsweredAt).ToArray(), changed.Select(c => c.EndedAt).ToArray(),
                changed.Select(c => c.Duration).ToArray(), changed.Select(c => c.LastSequence).ToArray(), changed.Select(c => c.Transitions).ToArray(),
                changed.Select(c => c.AgentId).ToArray()));
            batch.BatchCommands.Add(Command("""
                insert into audit_log (id, tenant_id, occurred_at, actor_type, actor_id, actor_name, action, entity_type, entity_id, changes, ip, user_agent)
                select a.id, $1, $2, 'system', null, a.actor, 'update', 'call', a.entity, a.changes::jsonb, a.ip, a.agent
                from unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) a(id, actor, entity, changes, ip, agent)
                """, tenant.TenantId, now, tenant.Audits.Select(_ => Guid.CreateVersion7()).ToArray(), tenant.Audits.Select(a => a.Callback.ActorName).ToArray(),
                tenant.Audits.Select(a => a.CallId.ToString()).ToArray(), tenant.Audits.Select(a => a.Changes).ToArray(),
                tenant.Audits.Select(a => a.Callback.Ip).ToArray(), tenant.Audits.Select(a => a.Callback.UserAgent).ToArray()));
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

    /// <summary>Sets the tenant for row-level security until the transaction ends (the next tenant in the batch sets its own).</summary>
    private static void EnterTenant(NpgsqlBatch batch, Guid tenantId) =>
        batch.BatchCommands.Add(Command(
            "select set_config('app.tenant_id', $1, true), set_config('app.user_id', '', true), set_config('app.platform', 'off', true)",
            tenantId.ToString()));

    /// <summary>Old and new values of what changed, in the audit interceptor's shape.</summary>
    private static string Changes(CallState call, string status, DateTimeOffset? answered, DateTimeOffset? ended, int? duration, int? sequence, Guid? agent)
    {
        var changes = new JsonObject();
        void Add<T>(string name, T before, T after)
        {
            if (!EqualityComparer<T>.Default.Equals(before, after))
                changes[name] = new JsonObject { ["old"] = JsonSerializer.SerializeToNode(before), ["new"] = JsonSerializer.SerializeToNode(after) };
        }
        Add("status", call.Status, status);
        Add("answeredAt", call.AnsweredAt, answered);
        Add("endedAt", call.EndedAt, ended);
        Add("durationSeconds", call.Duration, duration);
        Add("lastSequence", call.LastSequence, sequence);
        Add("agentId", call.AgentId, agent);
        return changes.ToJsonString();
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    private static T? Nullable<T>(NpgsqlDataReader reader, int ordinal) where T : struct =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
}
