using Microsoft.AspNetCore.Html;
using Switchboard.Features.Accounts;
using Switchboard.Features.Calls;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Dialer;

/// <summary>
/// Everything the workspace shows for the session's current lead or contact; Shown is null when the queue is done,
/// nothing in it is callable now (Skipped, Next), or the session ended.
/// </summary>
public sealed record DialerWorkspace(
    DialerTargetView? Shown, CallDto? Call, DialBlock? Block, int Remaining, IReadOnlyList<DispositionDto> Dispositions, string Presence, bool Ended,
    DialerSkips Skipped, NextCallable? Next, AutoDialView AutoDial, DialerSessionReport Report);

/// <summary>
/// The lead or contact on screen (exactly one of <see cref="Lead"/> and <see cref="Contact"/>): its card, its local
/// time, the calls before the one on screen, and the call script with its merge fields filled from it (a contact's
/// account is the script's company).
/// </summary>
public sealed record DialerTargetView(
    DialTarget Target, string Name, LeadDto? Lead, ContactDto? Contact, AccountDto? Account, string? Phone, DateTimeOffset? LastCalledAt,
    TimeZoneInfo Zone, DateTimeOffset LocalNow, IReadOnlyList<CallDto> History, IHtmlContent? Script);

/// <summary>A target's card on the workspace, with the tenant's display settings.</summary>
public sealed record TargetCardModel(DialerTargetView View, TenantSettings? Tenant);

public sealed record CallPanelModel(CallDto? Call, DialBlock? Block, bool Polled = false, string? Presence = null);

/// <summary>Loads the dialer workspace: a call still waiting for its outcome first, else the session's current lead or contact.</summary>
// Wide on purpose: the workspace combines the session, queue, pending call, the target on screen, compliance and presence.
public sealed class DialerWorkspaceData(
    DialerSessions sessions, DialerTargets targets, Dispositions dispositions, PresenceService presence, PowerDialer dialer,
    DialerSessionReports reports, TenantContext ctx)
{
    /// <param name="arm">The agent just moved on (an outcome saved here, a skip, a resume): what is now served counts down to its dial.</param>
    public async Task<DialerWorkspace> LoadAsync(DialerQueueDto queue, DialerSession session, DialBlock? block, DialTarget? blocked, CancellationToken ct, bool arm = false)
    {
        CallDto? call = null;
        DialerTargetView? shown = null;
        var turn = await sessions.TurnAsync(session, queue.Filter, ct);
        if (turn.PendingCall is { } pending && turn.Target is { } called && await targets.LoadAsync(called, pending.Id, ct) is { } pendingTarget)
        {
            call = CallDto.Of(pending);
            shown = pendingTarget;
        }
        else
        {
            if (turn.PendingCall is not null) turn = await sessions.TurnAsync(session, queue.Filter, ct, ignorePending: true);
            shown = turn.Target is { } target ? await targets.LoadAsync(target, null, ct) : null;
        }
        if (shown is null || shown.Target != blocked) block = null;

        var own = (await presence.ListAsync(ct)).FirstOrDefault(p => p.UserId == ctx.UserId);
        var dialable = call is null && session.EndedAt is null ? shown?.Target : null;
        if (arm && dialable is { } next) await dialer.ArmAsync(session, next, ct);
        var autoDial = await dialer.ViewAsync(session, dialable, ct);
        var report = await reports.ForAsync(session.Id, ct) ?? new DialerSessionReport(0, 0, 0, 0, []);
        return new DialerWorkspace(
            shown, call, call is null ? block : null, turn.Remaining, (await dispositions.ListAsync(ct)).Where(d => d.IsActive).ToList(),
            own?.State ?? PresenceStates.Away, Ended: session.EndedAt is not null, turn.Skipped, turn.Next, autoDial, report);
    }
}

/// <summary>Loads what the workspace shows of one lead or contact, through their own services (so only what the caller may see).</summary>
// Wide on purpose: the dialer shows one card per record kind (lead, contact, account) with its call history and script;
// each comes from that kind's own service.
[Scoped]
public sealed class DialerTargets(
    LeadService leads, ContactService contacts, AccountService accounts, CallService calls, CallScripts scripts, TenantContext ctx, TimeProvider clock)
{
    /// <summary>Null when the caller may not see it (any more). <paramref name="callOnScreen"/> is left out of the history.</summary>
    public async Task<DialerTargetView?> LoadAsync(DialTarget target, Guid? callOnScreen, CancellationToken ct)
    {
        var history = await CallsAsync(target.IsContact ? new CallQuery(null, null, null, null, null, null, 1, 10, target.Id)
            : new CallQuery(target.Id, null, null, null, null, null, 1, 10), ct);
        var earlier = history.Where(c => c.Id != callOnScreen).ToList();
        if (!target.IsContact)
        {
            if (await leads.FindAsync(target.Id, ct) is not { } lead) return null;
            var name = Display.FullName(lead.FirstName, lead.LastName);
            return View(target, name, lead, null, null, lead.Phone, lead.LastCalledAt, CallbackTimes.ZoneOf(lead.TimeZone, lead.Phone, ctx.Tenant),
                earlier, await scripts.RenderAsync(lead.FirstName, lead.LastName, lead.Company, ct));
        }
        if (await contacts.FindAsync(target.Id, ct) is not { } contact) return null;
        var account = contact.AccountId is { } accountId ? await accounts.FindAsync(accountId, ct) : null;
        var phone = contact.Phones.FirstOrDefault();
        // Its last call is its latest outbound call, as the queue orders it (the newest call is first in the history).
        var lastCalled = history.FirstOrDefault(c => c.Direction == CallDirections.Outbound)?.CreatedAt;
        // A contact has no zone of its own (nor has its account): its number's, else the tenant's.
        return View(target, Display.FullName(contact.FirstName, contact.LastName), null, contact, account, phone, lastCalled,
            CallbackTimes.ZoneOf(null, phone, ctx.Tenant), earlier, await scripts.RenderAsync(contact.FirstName, contact.LastName, account?.Name, ct));
    }

    private DialerTargetView View(
        DialTarget target, string name, LeadDto? lead, ContactDto? contact, AccountDto? account, string? phone, DateTimeOffset? lastCalled,
        TimeZoneInfo zone, IReadOnlyList<CallDto> history, IHtmlContent? script) =>
        new(target, name, lead, contact, account, phone, lastCalled, zone, TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone), history, script);

    private async Task<IReadOnlyList<CallDto>> CallsAsync(CallQuery query, CancellationToken ct) =>
        await calls.ListAsync(query, ct) is Outcome<PagedList<CallDto>>.Ok ok ? ok.Value.Items : [];
}
