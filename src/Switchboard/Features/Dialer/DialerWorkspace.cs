using Switchboard.Features.Calls;
using Switchboard.Features.Calls.Compliance;
using Switchboard.Features.Leads;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;

namespace Switchboard.Features.Dialer;

/// <summary>Everything the workspace shows for the current lead; Lead is null when the queue is done.</summary>
public sealed record DialerWorkspace(
    LeadDto? Lead, CallDto? Call, DialBlock? Block, int Remaining, IReadOnlyList<CallDto> History, string? Script,
    IReadOnlyList<DispositionDto> Dispositions, string Presence, TimeZoneInfo LeadZone, DateTimeOffset LeadLocalNow);

public sealed record CallPanelModel(CallDto? Call, LeadDto? Lead, DialBlock? Block, bool Polled = false, string? Presence = null);

public sealed record SaveOutcomeModel(CallDto Call, bool Oob);

/// <summary>Loads the dialer workspace: a call still waiting for its outcome first, else the queue's next lead.</summary>
public sealed class DialerWorkspaceData(
    DialerQueues queues, CallService calls, LeadService leads, CallingSettingsService settings, Dispositions dispositions,
    PresenceService presence, TenantContext ctx, TimeProvider clock)
{
    public async Task<DialerWorkspace> LoadAsync(DialerQueueDto queue, IReadOnlyList<Guid> handled, DialBlock? block, Guid? blockedLead, CancellationToken ct)
    {
        CallDto? call = null;
        LeadDto? lead = null;
        if (await queues.PendingCallAsync(ct) is { } pending && await leads.FindAsync(pending.LeadId!.Value, ct) is { } pendingLead)
        {
            call = CallDto.Of(pending);
            lead = pendingLead;
        }
        else if (blockedLead is { } blockedId && block is not null)
            lead = await leads.FindAsync(blockedId, ct);
        lead ??= await queues.NextAsync(queue.Filter, handled, ct) is { } nextId ? await leads.FindAsync(nextId, ct) : null;

        var remaining = await queues.RemainingAsync(queue.Filter, handled, ct);
        // The call on screen has its own panel; the history is what came before it.
        var history = lead is null ? [] : (await HistoryAsync(lead.Id, ct)).Where(c => c.Id != call?.Id).ToList();
        var policy = await settings.PolicyAsync(ct);
        var zone = ZoneOf(lead, ctx.Tenant);
        var own = (await presence.ListAsync(ct)).FirstOrDefault(p => p.UserId == ctx.UserId);
        return new DialerWorkspace(
            lead, call, call is null ? block : null, remaining, history, policy.CallScript,
            (await dispositions.ListAsync(ct)).Where(d => d.IsActive).ToList(), own?.State ?? PresenceStates.Away, zone, TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone));
    }

    private async Task<IReadOnlyList<CallDto>> HistoryAsync(Guid leadId, CancellationToken ct) =>
        await calls.ListAsync(new CallQuery(leadId, null, null, null, null, null, 1, 10), ct) is Outcome<PagedList<CallDto>>.Ok ok ? ok.Value.Items : [];

    /// <summary>The lead's own zone, else its number's, else the tenant's.</summary>
    public static TimeZoneInfo ZoneOf(LeadDto? lead, TenantSettings? tenant)
    {
        return Platform.TimeZones.FindOrUtc(LeadTimeZones.ResolveTimeZone(lead?.TimeZone, lead?.Phone) ?? tenant?.TimeZone);
    }
}
