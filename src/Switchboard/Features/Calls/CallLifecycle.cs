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
[Scoped]
public sealed class CallLifecycle(SwitchboardDbContext db, TenantContext ctx, RealtimeEvents realtime, TimeProvider clock)
{

    /// <summary>Stores a recording (url, seconds) or a transcript against the call the callback names.</summary>
    public async Task<EventOutcome> ApplyMediaAsync(string provider, string kind, string callSid, string? parentCallSid, string eventId, Func<Call, Task> apply, JsonDocument payload, CancellationToken ct)
    {
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var call = await LockAsync(provider, parentCallSid ?? callSid, callSid, ct);
        if (!await RecordEventAsync(provider, $"{kind}:{eventId}", kind, call?.Id, payload, ct)) return EventOutcome.Duplicate;
        if (call is null)
        {
            await tx.CommitAsync(ct);
            return EventOutcome.UnknownCall;
        }
        await apply(call);
        await db.SaveChangesAsync(ct);
        await realtime.PublishAsync(call.TenantId, "call." + kind, CallSummary(call), ct);
        await tx.CommitAsync(ct);
        return EventOutcome.Applied;
    }

    public static object CallSummary(Call call) => new
    {
        callId = call.Id, call.Status, call.Direction, call.AgentId, call.LeadId, call.ContactId, call.DurationSeconds, call.AnsweredAt, call.EndedAt,
    };

    /// <summary>
    /// The single transition rule: the status a callback moves the call to, or null when it changes nothing (it says
    /// nothing about the lead, it would move the call backwards, or the call already has the lead's own end).
    /// </summary>
    /// <remarks>
    /// The two legs of a click-to-call end within a fraction of a second, and their callbacks arrive in either order.
    /// The agent's leg ending before the lead answered ends the call as canceled (or failed) so that a call never
    /// stays open when the lead's leg never reports; that end is marked <paramref name="endedByAgentLeg"/>, and the
    /// lead's leg's own end (no-answer, busy, failed, completed…) replaces it whenever it comes. An end the lead's
    /// leg reported is final: the agent's leg never overwrites it.
    /// </remarks>
    public static string? TargetStatus(string current, bool endedByAgentLeg, string direction, bool childLeg, string status)
    {
        if (IsLeadLeg(direction, childLeg))
        {
            if (CallStatuses.IsTerminal(current) && endedByAgentLeg) return CallStatuses.IsTerminal(status) ? status : null;
            return Raises(current, status) ? status : null;
        }
        // The agent's own phone: its ringing and answering say nothing about the lead, nor does its end once the lead answered.
        var next = status switch
        {
            CallStatuses.Queued or CallStatuses.Initiated => status,
            CallStatuses.Ringing or CallStatuses.InProgress => null,
            _ when CallStatuses.Rank(current) >= CallStatuses.Rank(CallStatuses.InProgress) => null,
            CallStatuses.Failed => CallStatuses.Failed,
            _ => CallStatuses.Canceled,
        };
        return next is not null && Raises(current, next) ? next : null;
    }

    /// <summary>Whether a callback is the lead's leg: the &lt;Dial&gt;ed child of a click-to-call, or the caller of an inbound call.</summary>
    public static bool IsLeadLeg(string direction, bool childLeg) => childLeg || direction == CallDirections.Inbound;

    private static bool Raises(string current, string next) => CallStatuses.Rank(next) > CallStatuses.Rank(current);

    /// <summary>
    /// Reads the call the callback names (its parent leg's, else its own) and locks its row until the commit. A recording,
    /// a transcript and status callbacks for one call arrive together; each waits here for the one before it to commit and
    /// then reads its version, so the version-checked save cannot lose to them (it did: a 500, and a provider retry).
    /// </summary>
    private async Task<Call?> LockAsync(string provider, string providerCallId, string ownCallId, CancellationToken ct)
    {
        var calls = await db.Calls
            .FromSql($"select * from calls where provider = {provider} and provider_call_id in ({providerCallId}, {ownCallId}) for update")
            .ToListAsync(ct);
        return calls.FirstOrDefault(c => c.ProviderCallId == providerCallId) ?? calls.FirstOrDefault();
    }

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
