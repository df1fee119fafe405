using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Database;
using Switchboard.Platform.Realtime;
using Switchboard.Platform.Tenancy;

namespace Switchboard.Features.Calls;

/// <summary>
/// The hot path of status callbacks, in three round trips on the request's connection (already set to the
/// tenant, so row-level security applies): (1) lock the call and record the event once, (2) write the
/// transition with its audit row, the agent's presence and the realtime notices, (3) commit. Same rules as
/// <see cref="CallLifecycle"/> (which decides the transition); no EF change tracking, because a provider can
/// send thousands of these a second.
/// </summary>
public sealed class CallStatusWriter(SwitchboardDbContext db, TenantContext ctx, AuditActor actor, TimeProvider clock)
{
    private sealed record CallRow(Guid Id, string Status, string Direction, Guid? AgentId, Guid? LeadId, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, int? Duration, int? LastSequence);

    private sealed record PresenceRow(string State, DateTimeOffset Since, Guid? CurrentCallId);

    public async Task<EventOutcome> ApplyAsync(string provider, StatusUpdate update, JsonDocument payload, Func<string, string, string, string?> target, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var tenantId = ctx.RequiredTenantId;
        var callSid = update.ParentCallSid ?? update.CallSid;
        var key = $"status:{update.CallSid}:{update.Status}:{update.SequenceNumber?.ToString() ?? "-"}";
        var now = clock.GetUtcNow();

        await using var tx = await conn.BeginTransactionAsync(ct);
        CallRow? call = null;
        PresenceRow? presence = null;
        bool recorded;
        await using (var read = new NpgsqlBatch(conn, tx))
        {
            read.BatchCommands.Add(Command("""
                select id, status, direction, agent_id, lead_id, answered_at, ended_at, duration_seconds, last_sequence
                from calls where provider = $1 and provider_call_id = $2 for update
                """, provider, callSid));
            read.BatchCommands.Add(Command("""
                insert into call_events (tenant_id, id, call_id, provider, event_key, kind, received_at, payload)
                values ($1, $2, (select id from calls where provider = $3 and provider_call_id = $4), $3, $5, 'status', $6, $7::jsonb)
                on conflict (tenant_id, provider, event_key) do nothing
                returning 1
                """, tenantId, Guid.CreateVersion7(), provider, callSid, key, now, payload.RootElement.GetRawText()));
            read.BatchCommands.Add(Command("""
                select state, since, current_call_id from agent_presence
                where user_id = (select agent_id from calls where provider = $1 and provider_call_id = $2)
                """, provider, callSid));
            await using var reader = await read.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
                call = new CallRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), Nullable<Guid>(reader, 3), Nullable<Guid>(reader, 4),
                    NullableTime(reader, 5), NullableTime(reader, 6), Nullable<int>(reader, 7), Nullable<int>(reader, 8));
            await reader.NextResultAsync(ct);
            recorded = await reader.ReadAsync(ct);
            await reader.NextResultAsync(ct);
            if (await reader.ReadAsync(ct)) presence = new PresenceRow(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), Nullable<Guid>(reader, 2));
        }
        if (!recorded)
        {
            await tx.RollbackAsync(ct);
            return EventOutcome.Duplicate;
        }
        var next = call is null ? null : target(call.Status, call.Direction, update.Status);
        if (call is null || next is null || CallStatuses.Rank(next) <= CallStatuses.Rank(call.Status))
        {
            await tx.CommitAsync(ct);
            return call is null ? EventOutcome.UnknownCall : EventOutcome.Stale;
        }

        var at = update.Timestamp ?? now;
        var leadLeg = update.ParentCallSid is not null || call.Direction == CallDirections.Inbound;
        var answered = next == CallStatuses.InProgress ? call.AnsweredAt ?? at : call.AnsweredAt;
        var ended = CallStatuses.IsTerminal(next) ? call.EndedAt ?? at : call.EndedAt;
        var duration = CallStatuses.IsTerminal(next)
            ? answered is null ? 0 : update.DurationSeconds ?? (int)Math.Max(0, (ended!.Value - answered.Value).TotalSeconds)
            : call.Duration;
        var sequence = leadLeg ? update.SequenceNumber ?? call.LastSequence : call.LastSequence;

        await using (var write = new NpgsqlBatch(conn, tx))
        {
            write.BatchCommands.Add(Command("""
                update calls set status = $2, answered_at = $3, ended_at = $4, duration_seconds = $5, last_sequence = $6, updated_at = $7, version = version + 1
                where id = $1
                """, call.Id, next, answered, ended, duration, sequence, now));
            write.BatchCommands.Add(Command("""
                insert into audit_log (id, tenant_id, occurred_at, actor_type, actor_id, actor_name, action, entity_type, entity_id, changes, ip, user_agent)
                values ($1, $2, $3, $4, $5, $6, 'update', 'call', $7, $8::jsonb, $9, $10)
                """, Guid.CreateVersion7(), tenantId, now, actor.ActorType, actor.ActorId, actor.ActorName, call.Id.ToString(),
                Changes(call, next, answered, ended, duration, sequence), actor.Ip, actor.UserAgent));
            var summary = new { callId = call.Id, status = next, direction = call.Direction, agentId = call.AgentId, leadId = call.LeadId, durationSeconds = duration, answeredAt = answered, endedAt = ended };
            write.BatchCommands.Add(Command("select pg_notify($1, $2)", RealtimeEvents.Channel, RealtimeEvents.Payload(tenantId, "call.status", summary)));
            AddPresence(write, tenantId, call, next, presence, now);
            await write.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return EventOutcome.Applied;
    }

    /// <summary>An outbound call puts its agent on-call, and its end puts them in wrap-up (if it is still their current call).</summary>
    private static void AddPresence(NpgsqlBatch batch, Guid tenantId, CallRow call, string next, PresenceRow? presence, DateTimeOffset now)
    {
        if (call.AgentId is not { } agentId || call.Direction != CallDirections.Outbound) return;
        var terminal = CallStatuses.IsTerminal(next);
        if (terminal && presence?.CurrentCallId != call.Id) return;
        var state = terminal ? PresenceStates.WrapUp : PresenceStates.OnCall;
        var since = presence is not null && presence.State == state ? presence.Since : now;
        batch.BatchCommands.Add(Command("""
            insert into agent_presence (tenant_id, user_id, state, since, current_call_id) values ($1, $2, $3, $4, $5)
            on conflict (tenant_id, user_id) do update set state = excluded.state, since = excluded.since, current_call_id = excluded.current_call_id
            """, tenantId, agentId, state, since, call.Id));
        batch.BatchCommands.Add(Command("select pg_notify($1, $2)", RealtimeEvents.Channel,
            RealtimeEvents.Payload(tenantId, "presence.changed", new { userId = agentId, state, since, callId = call.Id })));
    }

    /// <summary>Old and new values of what changed, in the audit interceptor's shape.</summary>
    private static string Changes(CallRow call, string status, DateTimeOffset? answered, DateTimeOffset? ended, int? duration, int? sequence)
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

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
