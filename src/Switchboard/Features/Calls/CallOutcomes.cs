using Switchboard.Features.Activities;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Calls;

/// <summary>
/// Recording how a call went: the disposition, notes and an optional callback. A disposition may move the
/// lead's status (a first connect makes a new lead "contacted"), put the number on the do-not-call list,
/// and schedule the lead back into the dialer queue; a callback is also a task for the agent (<see cref="CallbackTasks"/>).
/// The agent leaves wrap-up.
/// </summary>
// Wide on purpose: database, tenant and clock are ambient; an outcome then applies the disposition, the do-not-call
// list, a callback task and the live update.
[Scoped]
public sealed class CallOutcomes(
    SwitchboardDbContext db, TenantContext ctx, Dispositions dispositions, DncService dnc, CallbackTasks callbackTasks, RealtimeEvents realtime, TimeProvider clock,
    IEnumerable<ICallOutcomeObserver> observers)
{
    public async Task<Outcome<CallDto>> RecordAsync(Call call, DispositionRequest request, CancellationToken ct)
    {
        var errors = request.BindingErrors();
        var notes = request.Notes.Value;
        var code = request.Disposition.Value;
        var callbackAt = request.CallbackAt.Value;
        errors.MaxLength("notes", notes, "Notes", 10_000);
        var disposition = code is null ? null : await dispositions.FindActiveAsync(code, ct);
        // A disposition sent with the wrong type is named by the binding error alone.
        if (disposition is null && request.Disposition.Error is null)
            errors.Add("disposition", code is null ? "Disposition is required." : $"'{code}' is not one of this tenant's dispositions.");
        var now = clock.GetUtcNow();
        if (callbackAt is { } callback && callback <= now) errors.Add("callbackAt", "The callback must be in the future.");
        else if (callbackAt is null && disposition is { RequiresCallback: true } && request.CallbackAt.Error is null)
            errors.Add("callbackAt", $"Callback is required for '{disposition.Label}'.");
        if (!errors.IsValid) return new Outcome<CallDto>.Invalid(errors.ToDictionary());
        if (!CallStatuses.IsTerminal(call.Status))
            return new Outcome<CallDto>.Conflict("The call is still in progress; record its outcome when it has ended.");

        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        call.Disposition = disposition!.Code;
        call.Notes = notes ?? call.Notes;
        call.DispositionedAt = now;
        call.CallbackAt = callbackAt;

        var lead = call.LeadId is { } leadId ? await db.Leads.SingleOrDefaultAsync(l => l.Id == leadId, ct) : null;
        if (lead is not null)
            await ApplyToLeadAsync(lead, disposition, callbackAt, ct);
        else if (disposition.AddsToDnc)
            await dnc.AddFromDispositionAsync(call.Direction == CallDirections.Outbound ? call.ToNumber : call.FromNumber, ct);
        await callbackTasks.FollowOutcomeAsync(call, lead, disposition.IsConnect, ct);
        foreach (var observer in observers) await observer.OnCallOutcomeAsync(call, disposition.IsConnect, ct);

        await LeaveWrapUpAsync(call, ct);
        await db.SaveChangesAsync(ct);
        await realtime.PublishAsync(call.TenantId, "call.disposition", new { callId = call.Id, call.AgentId, call.LeadId, disposition = call.Disposition }, ct);
        await tx.CommitAsync(ct);
        return CallDto.Of(call);
    }

    private async Task ApplyToLeadAsync(Lead lead, CallDisposition disposition, DateTimeOffset? callbackAt, CancellationToken ct)
    {
        if (disposition.LeadStatus is { } status) lead.Status = LeadStatuses.Parse(status);
        else if (disposition.IsConnect && lead.Status == LeadStatus.New) lead.Status = LeadStatus.Contacted;
        lead.CallbackAt = callbackAt;
        if (disposition.AddsToDnc)
        {
            lead.DoNotCall = true;
            if (lead.Phone is not null) await dnc.AddFromDispositionAsync(lead.Phone, ct);
        }
    }

    private async Task LeaveWrapUpAsync(Call call, CancellationToken ct)
    {
        if (call.AgentId != ctx.UserId || call.AgentId is not { } agentId) return;
        var presence = await db.AgentPresence.SingleOrDefaultAsync(p => p.UserId == agentId, ct);
        if (presence is not { State: PresenceStates.WrapUp } || presence.CurrentCallId != call.Id) return;
        presence.State = PresenceStates.Available;
        presence.Since = clock.GetUtcNow();
        presence.CurrentCallId = null;
        await realtime.PublishAsync(call.TenantId, "presence.changed", new { userId = agentId, state = presence.State, since = presence.Since }, ct);
    }
}

/// <summary>Told, in the outcome's transaction before it is saved, that a call was dispositioned (sequences stop on a connect).</summary>
public interface ICallOutcomeObserver
{
    Task OnCallOutcomeAsync(Call call, bool connected, CancellationToken ct);
}
