namespace Switchboard.Features.Calls;

public sealed record WrapUpExpiryPayload(Guid CallId);

/// <summary>
/// Ends a wrap-up that ran past the tenant's maximum (<see cref="CallingPolicy.WrapUpMaxSeconds"/>): the call is marked
/// with the <see cref="Dispositions.NoOutcome"/> disposition and its agent, if still wrapping it up, is available again.
/// A durable job (Platform/Jobs), so a restart or a crashed instance does not leave an agent in wrap-up: the job is
/// scheduled when the call is placed (or comes in) and reschedules itself while the call is live, then for the
/// moment the wrap-up runs out, on the job queue's own clock. Each run looks at the call afresh, so an outcome
/// saved in the meantime wins and a repeated run changes nothing.
/// </summary>
public sealed class WrapUpExpiry(
    SwitchboardDbContext db, CallingSettingsService settings, Dispositions dispositions, JobQueue jobs, RealtimeEvents realtime, TimeProvider clock)
    : IJobHandler
{
    public const string JobKind = "calls.wrap-up-expiry";

    public string Kind => JobKind;

    /// <summary>A call still live after this long is left alone (its provider never reported the end).</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(12);

    /// <summary>The first look at a new call, a wrap-up's length from now; joins the caller's unit of work (the call's own transaction).</summary>
    public async Task ScheduleAsync(Call call, Guid tenantId, CancellationToken ct)
    {
        var at = clock.GetUtcNow() + (await settings.PolicyAsync(ct)).WrapUpMax;
        await jobs.EnqueueAsync(JobKind, new WrapUpExpiryPayload(call.Id), tenantId, Key(call.Id, at), at, ct: ct);
    }

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var callId = job.Read<WrapUpExpiryPayload>().CallId;
        var call = await db.Calls.SingleOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null || call.Disposition is not null) return;
        var max = (await settings.PolicyAsync(ct)).WrapUpMax;
        var presence = call.AgentId is { } agentId ? await db.AgentPresence.SingleOrDefaultAsync(p => p.UserId == agentId, ct) : null;
        var wrappingUp = presence is { State: PresenceStates.WrapUp } && presence.CurrentCallId == call.Id;
        var now = clock.GetUtcNow();
        if (!CallStatuses.IsTerminal(call.Status) && now - call.CreatedAt > GiveUpAfter) return;
        // A live call is looked at again a wrap-up's length later; an ended one when its wrap-up runs out.
        var due = !CallStatuses.IsTerminal(call.Status) ? now + max
            : (wrappingUp ? presence!.Since : call.EndedAt ?? call.UpdatedAt) + max;
        if (due > now)
        {
            await jobs.EnqueueNowAsync(JobKind, new WrapUpExpiryPayload(call.Id), job.TenantId, Key(call.Id, due), due, ct: ct);
            return;
        }

        await dispositions.EnsureNoOutcomeAsync(ct);
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        call.Disposition = Dispositions.NoOutcome;
        call.DispositionedAt = now;
        if (wrappingUp)
        {
            presence!.State = PresenceStates.Available;
            presence.Since = now;
            presence.CurrentCallId = null;
        }
        await db.SaveChangesAsync(ct);
        await realtime.PublishAsync(call.TenantId, "call.disposition", new { callId = call.Id, call.AgentId, call.LeadId, disposition = call.Disposition }, ct);
        if (wrappingUp)
            await realtime.PublishAsync(call.TenantId, "presence.changed", new { userId = presence!.UserId, state = presence.State, since = presence.Since }, ct);
        await tx.CommitAsync(ct);
    }

    private static string Key(Guid callId, DateTimeOffset at) => $"wrap-up:{callId}:{at.ToUnixTimeMilliseconds()}";
}
