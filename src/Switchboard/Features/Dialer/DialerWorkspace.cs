using Microsoft.AspNetCore.Html;
using Switchboard.Features.Calls;
using Switchboard.Features.Calls.Compliance;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Dialer;

/// <summary>
/// Everything the workspace shows for the session's current lead; Lead is null when the queue is done, nothing in it is
/// callable now (Skipped, Next), or the session ended.
/// </summary>
public sealed record DialerWorkspace(
    LeadDto? Lead, CallDto? Call, DialBlock? Block, int Remaining, IReadOnlyList<CallDto> History, IHtmlContent? Script,
    IReadOnlyList<DispositionDto> Dispositions, string Presence, TimeZoneInfo LeadZone, DateTimeOffset LeadLocalNow, bool Ended,
    DialerSkips Skipped, NextCallable? Next, AutoDialView AutoDial, DialerSessionReport Report);

public sealed record CallPanelModel(CallDto? Call, LeadDto? Lead, DialBlock? Block, bool Polled = false, string? Presence = null);

/// <summary>Loads the dialer workspace: a call still waiting for its outcome first, else the session's current lead.</summary>
// Wide on purpose: the workspace combines the session, queue, pending call, lead, compliance and presence.
public sealed class DialerWorkspaceData(
    DialerSessions sessions, CallService calls, LeadService leads, CallScripts scripts, Dispositions dispositions,
    PresenceService presence, PowerDialer dialer, DialerSessionReports reports, TenantContext ctx, TimeProvider clock)
{
    /// <param name="arm">The agent just moved on (an outcome saved here, a skip, a resume): the lead now served counts down to its dial.</param>
    public async Task<DialerWorkspace> LoadAsync(DialerQueueDto queue, DialerSession session, DialBlock? block, Guid? blockedLead, CancellationToken ct, bool arm = false)
    {
        CallDto? call = null;
        LeadDto? lead = null;
        var turn = await sessions.TurnAsync(session, queue.Filter, ct);
        if (turn.PendingCall is { } pending && await leads.FindAsync(pending.LeadId!.Value, ct) is { } pendingLead)
        {
            call = CallDto.Of(pending);
            lead = pendingLead;
        }
        else
        {
            if (turn.PendingCall is not null) turn = await sessions.TurnAsync(session, queue.Filter, ct, ignorePending: true);
            lead = turn.LeadId is { } leadId ? await leads.FindAsync(leadId, ct) : null;
        }
        if (lead is null || lead.Id != blockedLead) block = null;

        // The call on screen has its own panel; the history is what came before it.
        var history = lead is null ? [] : (await HistoryAsync(lead.Id, ct)).Where(c => c.Id != call?.Id).ToList();
        var script = lead is null ? null : await scripts.RenderAsync(lead.FirstName, lead.LastName, lead.Company, ct);
        var zone = ZoneOf(lead, ctx.Tenant);
        var own = (await presence.ListAsync(ct)).FirstOrDefault(p => p.UserId == ctx.UserId);
        var dialable = call is null && session.EndedAt is null ? lead?.Id : null;
        if (arm && dialable is { } next) await dialer.ArmAsync(session, next, ct);
        var autoDial = await dialer.ViewAsync(session, dialable, ct);
        var report = await reports.ForAsync(session.Id, ct) ?? new DialerSessionReport(0, 0, 0, 0, []);
        return new DialerWorkspace(
            lead, call, call is null ? block : null, turn.Remaining, history, script,
            (await dispositions.ListAsync(ct)).Where(d => d.IsActive).ToList(), own?.State ?? PresenceStates.Away, zone,
            TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone), Ended: session.EndedAt is not null, turn.Skipped, turn.Next, autoDial, report);
    }

    private async Task<IReadOnlyList<CallDto>> HistoryAsync(Guid leadId, CancellationToken ct) =>
        await calls.ListAsync(new CallQuery(leadId, null, null, null, null, null, 1, 10), ct) is Outcome<PagedList<CallDto>>.Ok ok ? ok.Value.Items : [];

    /// <summary>The lead's own zone, else its number's, else the tenant's.</summary>
    public static TimeZoneInfo ZoneOf(LeadDto? lead, TenantSettings? tenant)
    {
        return CallbackTimes.ZoneOf(lead?.TimeZone, lead?.Phone, tenant);
    }
}
