using System.Text.Json.Nodes;

namespace Switchboard.Features.Calls;

/// <summary>
/// The in-memory half of a status batch (ADR 0007): what each callback does to the calls and agents as read in
/// round trip 1, decided with <see cref="CallLifecycle.TargetStatus"/> and written by <see cref="StatusBatchSql"/>.
/// </summary>
internal static class StatusDecisions
{
    /// <summary>Applies the tenant's callbacks in arrival order to the calls as read (and as changed by earlier callbacks in the batch).</summary>
    public static void Decide(BatchTenantWork tenant, EventOutcome[] outcomes, DateTimeOffset now)
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
            var leadLeg = CallLifecycle.IsLeadLeg(call.Direction, update.ParentCallSid is not null);
            var next = CallLifecycle.TargetStatus(call.Status, call.EndedByAgentLeg, call.Direction, update.ParentCallSid is not null, update.Status);
            if (next is null)
            {
                outcomes[index] = EventOutcome.Stale;
                continue;
            }

            var at = update.Timestamp?.ToUniversalTime() ?? now;
            var wasEnded = CallStatuses.IsTerminal(call.Status);
            // "completed" means the lead answered, even when its "in-progress" has not arrived yet (callbacks can
            // overtake each other): then the answer was CallDuration seconds before the end.
            var answered = call.AnsweredAt ?? next switch
            {
                CallStatuses.InProgress => at,
                CallStatuses.Completed => at.AddSeconds(-(update.DurationSeconds ?? 0)),
                _ => (DateTimeOffset?)null,
            };
            // The lead's leg's end replaces the agent's leg's, time included.
            var ended = CallStatuses.IsTerminal(next) ? (call.EndedByAgentLeg ? at : call.EndedAt ?? at) : call.EndedAt;
            var duration = CallStatuses.IsTerminal(next)
                ? answered is null ? 0 : update.DurationSeconds ?? (int)Math.Max(0, (ended!.Value - answered.Value).TotalSeconds)
                : call.Duration;
            var sequence = leadLeg ? update.SequenceNumber ?? call.LastSequence : call.LastSequence;
            var endedByAgentLeg = !leadLeg && CallStatuses.IsTerminal(next);

            var changes = Changes(call, next, answered, ended, duration, sequence, call.AgentId, endedByAgentLeg);
            (call.Status, call.AnsweredAt, call.EndedAt, call.Duration, call.LastSequence, call.EndedByAgentLeg) = (next, answered, ended, duration, sequence, endedByAgentLeg);
            Transition(tenant, callback, call, changes);
            // An outbound call puts its agent on-call; the end of any call puts its agent in wrap-up (if it is still their
            // current call). The lead's leg replacing the agent's leg's end is not a second end.
            if (call.AgentId is { } agentId && !wasEnded && (call.Direction == CallDirections.Outbound || CallStatuses.IsTerminal(next)))
                MovePresence(tenant, call, agentId, CallStatuses.IsTerminal(next) ? PresenceStates.WrapUp : PresenceStates.OnCall, now);
            outcomes[index] = EventOutcome.Applied;
        }
    }

    /// <summary>
    /// An inbound call rings every available agent at once; each agent's phone is a child leg. The first agent to
    /// answer becomes the call's agent and goes on-call; when their leg ends, they go to wrap-up. The call's own
    /// status follows the caller's leg, not these.
    /// </summary>
    private static EventOutcome AgentLeg(BatchTenantWork tenant, StatusCallback callback, BatchCall call, Guid agent, string status, DateTimeOffset now)
    {
        if (status == CallStatuses.InProgress && !CallStatuses.IsTerminal(call.Status))
        {
            if (call.AgentId != agent)
            {
                var changes = Changes(call, call.Status, call.AnsweredAt, call.EndedAt, call.Duration, call.LastSequence, agent, call.EndedByAgentLeg);
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
    private static void Transition(BatchTenantWork tenant, StatusCallback callback, BatchCall call, string changes)
    {
        call.Transitions++;
        tenant.Audits.Add(new BatchAuditRow(call.Id, changes, callback));
        tenant.Notices.Add(RealtimeEvents.Payload(tenant.TenantId, "call.status", new
        {
            callId = call.Id, status = call.Status, direction = call.Direction, agentId = call.AgentId, leadId = call.LeadId,
            durationSeconds = call.Duration, answeredAt = call.AnsweredAt, endedAt = call.EndedAt,
        }));
    }

    /// <summary>Moves the agent to on-call or wrap-up for this call; wrap-up only if this call is still their current one.</summary>
    private static void MovePresence(BatchTenantWork tenant, BatchCall call, Guid agentId, string state, DateTimeOffset now)
    {
        var presence = tenant.Presence.GetValueOrDefault(agentId);
        if (state == PresenceStates.WrapUp && presence?.CurrentCallId != call.Id) return;
        var since = presence is not null && presence.State == state ? presence.Since : now;
        tenant.Presence[agentId] = new BatchPresence(state, since, call.Id);
        tenant.PresenceChanged.Add(agentId);
        tenant.Notices.Add(RealtimeEvents.Payload(tenant.TenantId, "presence.changed", new { userId = agentId, state, since, callId = call.Id }));
    }

    /// <summary>Old and new values of what changed, in the audit interceptor's shape.</summary>
    private static string Changes(BatchCall call, string status, DateTimeOffset? answered, DateTimeOffset? ended, int? duration, int? sequence, Guid? agent, bool endedByAgentLeg)
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
        Add("endedByAgentLeg", call.EndedByAgentLeg, endedByAgentLeg);
        return changes.ToJsonString();
    }
}

internal sealed class BatchCall(
    Guid id, string status, string direction, Guid? agentId, Guid? leadId, DateTimeOffset? answeredAt, DateTimeOffset? endedAt, int? duration, int? lastSequence, bool endedByAgentLeg)
{
    public Guid Id { get; } = id;
    public string Direction { get; } = direction;
    public Guid? AgentId { get; set; } = agentId;
    public Guid? LeadId { get; } = leadId;
    public string Status { get; set; } = status;
    /// <summary>The status before this batch: a call whose status turns terminal in the batch raises call.completed.</summary>
    public string StatusBefore { get; } = status;
    public DateTimeOffset? AnsweredAt { get; set; } = answeredAt;
    public DateTimeOffset? EndedAt { get; set; } = endedAt;
    public int? Duration { get; set; } = duration;
    public int? LastSequence { get; set; } = lastSequence;
    public bool EndedByAgentLeg { get; set; } = endedByAgentLeg;
    public int Transitions { get; set; }
}

internal sealed record BatchPresence(string State, DateTimeOffset Since, Guid? CurrentCallId);

internal sealed record BatchAuditRow(Guid CallId, string Changes, StatusCallback Callback);

/// <summary>What one tenant's callbacks in the batch found and changed.</summary>
internal sealed class BatchTenantWork(Guid tenantId, List<(StatusCallback Callback, int Index)> items)
{
    public Guid TenantId { get; } = tenantId;
    public List<(StatusCallback Callback, int Index)> Items { get; } = items;
    public Dictionary<(string Provider, string Sid), BatchCall> Calls { get; } = [];
    public HashSet<string> Recorded { get; } = [];
    public Dictionary<Guid, BatchPresence> Presence { get; } = [];
    public HashSet<Guid> PresenceChanged { get; } = [];
    public List<BatchAuditRow> Audits { get; } = [];
    public List<string> Notices { get; } = [];
}
