using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Ui.Calls;

namespace Switchboard.Features.Calls;

/// <summary>An ended call of the signed-in agent that still waits for its outcome, as the "outcome needed" bar names it.</summary>
public sealed record PendingOutcome(Guid CallId, Guid? LeadId, Guid? ContactId, string? Name, string Status, DateTimeOffset? EndedAt)
{
    /// <summary>Where the agent records it: the lead's or contact's outcome card, else the call's own outcome page.</summary>
    public string Link => (LeadId, ContactId) switch
    {
        ({ } lead, _) => $"/leads/{lead}#call-outcome",
        (null, { } contact) => $"/contacts/{contact}#call-outcome",
        _ => $"/calls/{CallId}/outcome",
    };
}

/// <summary>
/// The one outcome step every call ends in, wherever the agent is: which of their calls wait for an outcome, the form
/// for one (<see cref="CallOutcomeView"/>, rendered by Ui/Calls/_CallOutcome), and saving what it posts through the
/// same rules as the API (<see cref="CallService.DispositionAsync"/>). The dialer, the lead page and the outcome page
/// use it; the "outcome needed" bar of the layout lists <see cref="PendingAsync"/>.
/// </summary>
[Scoped]
public sealed class OutcomeStep(SwitchboardDbContext db, TenantContext ctx, CallService calls, CallOutcomes outcomes, Dispositions dispositions, TimeProvider clock)
{
    /// <summary>How far back a call without outcome is still asked for (the dialer's wrap-up guard looks as far).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(12);

    private static readonly string[] Ended = CallStatuses.All.Where(CallStatuses.IsTerminal).ToArray();

    /// <summary>
    /// The agent's ended calls without outcome, newest first: every call they placed, and the inbound calls that were
    /// answered (a missed inbound call was never theirs to wrap up).
    /// </summary>
    public async Task<IReadOnlyList<PendingOutcome>> PendingAsync(CancellationToken ct)
    {
        if (ctx.UserId is not { } self || ctx.TenantId is null || !CallService.CanCall(ctx)) return [];
        var since = clock.GetUtcNow() - Window;
        return await (from c in db.Calls.AsNoTracking()
                      where c.AgentId == self && c.Disposition == null && Ended.Contains(c.Status) && c.CreatedAt > since
                            && (c.Direction == CallDirections.Outbound || c.AnsweredAt != null)
                      join l in db.Leads.AsNoTracking() on c.LeadId equals l.Id into leads
                      from l in leads.DefaultIfEmpty()
                      join p in db.Set<Contact>().AsNoTracking() on c.ContactId equals p.Id into contacts
                      from p in contacts.DefaultIfEmpty()
                      orderby c.CreatedAt descending
                      select new PendingOutcome(c.Id, c.LeadId, c.ContactId,
                          l != null ? (l.FirstName + " " + l.LastName).Trim() : p != null ? (p.FirstName + " " + p.LastName).Trim() : null,
                          c.Status, c.EndedAt))
            .Take(20).ToListAsync(ct);
    }

    /// <summary>The agent's newest call with this lead that has no outcome yet, live or ended: the lead page's outcome card.</summary>
    public Task<CallDto?> PendingForLeadAsync(Guid leadId, CancellationToken ct) => PendingAsync(c => c.LeadId == leadId, ct);

    /// <summary>The same for a contact's page.</summary>
    public Task<CallDto?> PendingForContactAsync(Guid contactId, CancellationToken ct) => PendingAsync(c => c.ContactId == contactId, ct);

    private async Task<CallDto?> PendingAsync(System.Linq.Expressions.Expression<Func<Call, bool>> record, CancellationToken ct)
    {
        if (ctx.UserId is not { } self || !CallService.CanCall(ctx)) return null;
        var since = clock.GetUtcNow() - Window;
        var call = await db.Calls.AsNoTracking().Where(record)
            .Where(c => c.AgentId == self && c.Disposition == null && c.CreatedAt > since)
            .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
        return call is null ? null : CallDto.Of(call);
    }

    /// <summary>A record page's outcome card: the form of the agent's pending call there (posting back to that page), or an empty card.</summary>
    public async Task<CallOutcomePanel> PanelAsync(CallDto? pending, string recordPath, CancellationToken ct)
    {
        var refresh = recordPath + "?handler=Outcome";
        if (pending is null) return new CallOutcomePanel(refresh, null);
        var form = await ViewAsync(pending, $"/calls/{pending.Id}/outcome", new CallOutcomeForm { CallId = pending.Id, ReturnUrl = recordPath }, ct);
        return new CallOutcomePanel(refresh, form with { HxTarget = "#" + PanelTarget, HxSwap = "outerHTML" });
    }

    /// <summary>The id of a record page's outcome card, which its form's htmx post swaps.</summary>
    public const string PanelTarget = "call-outcome";

    /// <summary>The outcome form of <paramref name="call"/>, posting to <paramref name="action"/>; callbacks are typed on the lead's or contact's clock.</summary>
    public async Task<CallOutcomeView> ViewAsync(CallDto call, string action, CallOutcomeForm values, CancellationToken ct) =>
        new(call, (await dispositions.ListAsync(ct)).Where(d => d.IsActive).ToList(), (await ZoneAsync(call, ct)).Id, action) { Values = values };

    /// <summary>Saves what an outcome form posted, as POST /api/v1/calls/{id}/disposition would.</summary>
    public async Task<Outcome<CallDto>> SaveAsync(CallOutcomeForm form, CancellationToken ct)
    {
        if (await calls.FindAsync(form.CallId, ct) is not { } call) return new Outcome<CallDto>.NotFound();
        var callback = CallbackTimes.Parse(form.CallbackAt, await ZoneAsync(call, ct));
        if (callback is Outcome<DateTimeOffset?>.Invalid invalid) return new Outcome<CallDto>.Invalid(invalid.Errors);
        var callbackAt = ((Outcome<DateTimeOffset?>.Ok)callback).Value;
        return await calls.DispositionAsync(call.Id, new DispositionRequest(form.Disposition, form.Notes, callbackAt), outcomes, ct);
    }

    /// <summary>The clock a callback is typed on: the lead's (its zone, else its number's), a contact's number's, else the tenant's.</summary>
    private async Task<TimeZoneInfo> ZoneAsync(CallDto call, CancellationToken ct)
    {
        if (call.LeadId is { } leadId)
        {
            var lead = await db.Leads.AsNoTracking().Where(l => l.Id == leadId).Select(l => new { l.TimeZone, l.Phone }).SingleOrDefaultAsync(ct);
            return CallbackTimes.ZoneOf(lead?.TimeZone, lead?.Phone, ctx.Tenant);
        }
        var phone = call.ContactId is { } contactId
            ? await db.Set<Contact>().AsNoTracking().Where(c => c.Id == contactId).Select(c => c.Phones.Count > 0 ? c.Phones[0] : null).SingleOrDefaultAsync(ct)
            : null;
        return CallbackTimes.ZoneOf(null, phone, ctx.Tenant);
    }
}
