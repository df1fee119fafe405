using Npgsql;

namespace Switchboard.Features.Calls;

/// <summary>
/// A provider's status callback, normalized. ParentCallSid is set for a child leg (a &lt;Dial&gt;ed number).
/// AgentLeg is set when that child leg rings an agent's phone for an inbound call (the agent's id is in the
/// callback URL Switchboard put in the TwiML, which the provider's signature covers).
/// </summary>
public sealed record StatusUpdate(
    string CallSid, string? ParentCallSid, string Status, int? SequenceNumber, DateTimeOffset? Timestamp, int? DurationSeconds, Guid? AgentLeg = null);

public enum EventOutcome
{
    Applied,
    Duplicate,
    Stale,
    UnknownCall,
}

/// <summary>
/// Moves calls through their lifecycle from provider callbacks. Each callback is recorded once (retries and
/// duplicates are no-ops) and a call never moves backwards: a late "ringing" after "in-progress" is kept as
/// an event but not applied. For click-to-call the parent leg rings the agent and the child leg is the lead,
/// so the lead's leg drives the call's status; the agent's leg only starts it, or ends it before the lead answered.
/// Status callbacks are written by <see cref="CallStatusWriter"/> (group commit) with the rule in <see cref="TargetStatus"/>;
/// recording and transcription callbacks are applied here.
/// </summary>
public sealed class CallLifecycle(SwitchboardDbContext db, TenantContext ctx, RealtimeEvents realtime, TimeProvider clock)
{

    /// <summary>Stores a recording (url, seconds) or a transcript against the call the callback names.</summary>
    public async Task<EventOutcome> ApplyMediaAsync(string provider, string kind, string callSid, string? parentCallSid, string eventId, Action<Call> apply, JsonDocument payload, CancellationToken ct)
    {
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var call = await FindAsync(provider, parentCallSid ?? callSid, ct) ?? await FindAsync(provider, callSid, ct);
        if (!await RecordEventAsync(provider, $"{kind}:{eventId}", kind, call?.Id, payload, ct)) return EventOutcome.Duplicate;
        if (call is null)
        {
            await tx.CommitAsync(ct);
            return EventOutcome.UnknownCall;
        }
        apply(call);
        await db.SaveChangesAsync(ct);
        await realtime.PublishAsync(call.TenantId, "call." + kind, CallSummary(call), ct);
        await tx.CommitAsync(ct);
        return EventOutcome.Applied;
    }

    public static object CallSummary(Call call) => new
    {
        callId = call.Id, call.Status, call.Direction, call.AgentId, call.LeadId, call.ContactId, call.DurationSeconds, call.AnsweredAt, call.EndedAt,
    };

    /// <summary>The status a callback moves the call to, or null when it says nothing about the lead.</summary>
    public static string? TargetStatus(string current, string direction, bool childLeg, string status)
    {
        var leadLeg = childLeg || direction == CallDirections.Inbound;
        if (leadLeg) return status;
        // The agent's own phone: its ringing and answering say nothing about the lead.
        return status switch
        {
            CallStatuses.Queued or CallStatuses.Initiated => status,
            CallStatuses.Ringing or CallStatuses.InProgress => null,
            CallStatuses.Failed => CallStatuses.Failed,
            _ when CallStatuses.Rank(current) >= CallStatuses.Rank(CallStatuses.InProgress) => null,
            _ => CallStatuses.Canceled,
        };
    }

    private async Task<Call?> FindAsync(string provider, string providerCallId, CancellationToken ct) =>
        await db.Calls.SingleOrDefaultAsync(c => c.Provider == provider && c.ProviderCallId == providerCallId, ct);

    /// <summary>Inserts the event unless its key was seen before; false for a duplicate.</summary>
    private async Task<bool> RecordEventAsync(string provider, string key, string kind, Guid? callId, JsonDocument payload, CancellationToken ct)
    {
        var inserted = await db.Database.ExecuteSqlAsync($"""
            insert into call_events (tenant_id, id, call_id, provider, event_key, kind, received_at, payload)
            values ({ctx.RequiredTenantId}, {Guid.CreateVersion7()}, {callId}, {provider}, {key}, {kind}, {clock.GetUtcNow()}, {payload.RootElement.GetRawText()}::jsonb)
            on conflict (tenant_id, provider, event_key) do nothing
            """, ct);
        return inserted == 1;
    }
}
