using Switchboard.Features.Activities;
using Switchboard.Features.Audit;
using Switchboard.Features.Calls;
using Switchboard.Ui.Calls;
using Switchboard.Ui.Records;

namespace Switchboard.Features.Leads;

/// <summary>The convert form: link the matched account or name a new one, and optionally open an opportunity.</summary>
public sealed class ConvertForm
{
    public bool UseMatchedAccount { get; set; } = true;
    public string? AccountName { get; set; }
    public bool CreateOpportunity { get; set; }
    public string? OpportunityName { get; set; }
    public decimal? OpportunityAmount { get; set; }
}

// Wide on purpose: the lead page shows the lead, its calls, timeline, owners and the conversion form, each from its own service.
public sealed class DetailsModel(
    LeadService leads, LeadHistory history, CallService calls, TenantContext ctx, SwitchboardDbContext db, TimelineService recordTimeline,
    LeadConversion conversion, OutcomeStep outcomes, Ai.AnalysisService analyses) : RecordDetailsPage<LeadDto>(leads, ctx, db, recordTimeline)
{
    public LeadDto Lead => Record;
    public IReadOnlyList<HistoryItem>? History { get; private set; }
    public bool CanCall => CallService.CanCall(Ctx) && Lead.Phone is not null && RecordPermissions.CanEdit(Ctx, Lead.OwnerId);
    public CallTimeline Timeline { get; private set; } = null!;
    /// <summary>The outcome card: the form for the agent's call with this lead that has no outcome yet.</summary>
    public CallOutcomePanel OutcomePanel { get; private set; } = null!;
    public bool CanConvert => Lead.ConvertedAt is null && Lead.Status != "converted" && RecordPermissions.CanEdit(Ctx, Lead.OwnerId);
    public AccountMatch? MatchedAccount { get; private set; }
    public bool CanCreateOpportunity { get; private set; }
    [BindProperty] public ConvertForm Convert { get; set; } = new();

    protected override string Noun => "lead";
    protected override string ListPath => "/leads";

    protected override async Task LoadAsync(LeadDto lead, IReadOnlyList<OwnerOption> owners, CancellationToken ct)
    {
        if (AuditQueries.CanView(Ctx)) History = await history.ForAsync(Id, owners, ct);
        Timeline = await TimelineAsync(ct);
        OutcomePanel = await OutcomePanelAsync(ct);
        if (CanConvert)
        {
            MatchedAccount = await conversion.MatchAccountAsync(lead.Email, ct);
            CanCreateOpportunity = await conversion.CanCreateOpportunityAsync(ct);
        }
    }

    /// <summary>Converts through the same service as the API; its field errors come back as the flash.</summary>
    public async Task<IActionResult> OnPostConvertAsync(CancellationToken ct)
    {
        var body = new LeadConversionWrite
        {
            // Without an account part the service links the matched account (or creates one if there is none).
            Account = Convert.UseMatchedAccount ? default
                : Optional.Of<ConversionAccountWrite?>(Convert.AccountName is { Length: > 0 } name ? new() { Name = Optional.Text(name) } : new()),
            Opportunity = Convert.CreateOpportunity
                ? Optional.Of<Opportunities.OpportunityWrite?>(new() { Name = Optional.Text(Convert.OpportunityName), Amount = Optional.Of(Convert.OpportunityAmount) })
                : default,
        };
        switch (await conversion.ConvertAsync(Id, body, ct))
        {
            case Outcome<LeadConversionDto>.Ok:
                Flash("Lead converted.");
                break;
            case Outcome<LeadConversionDto>.Invalid invalid:
                Flash("Not converted: " + string.Join(" ", invalid.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")), FlashKind.Error);
                break;
            case Outcome<LeadConversionDto>.Conflict conflict:
                Flash(conflict.Message, FlashKind.Error);
                break;
            case Outcome<LeadConversionDto>.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
        return LocalRedirect($"/leads/{Id}");
    }

    /// <summary>The "Calls" card alone, which lead.js re-fetches when one of this lead's calls changes. Same visibility as the page.</summary>
    public async Task<IActionResult> OnGetCallsAsync(CancellationToken ct)
    {
        if (await leads.FindAsync(Id, ct) is null) return NotFound();
        return Partial("_CallTimeline", await TimelineAsync(ct));
    }

    /// <summary>The outcome card alone, which outcome.js re-fetches when one of the agent's calls changes.</summary>
    public async Task<IActionResult> OnGetOutcomeAsync(CancellationToken ct)
    {
        if (await leads.FindAsync(Id, ct) is null) return NotFound();
        return Partial("_CallOutcomePanel", await OutcomePanelAsync(ct));
    }

    private async Task<CallOutcomePanel> OutcomePanelAsync(CancellationToken ct) =>
        await outcomes.PanelAsync(await outcomes.PendingForLeadAsync(Id, ct), $"/leads/{Id}", ct);

    /// <summary>Click-to-call: the provider rings the agent, then the lead. Compliance blocks come back as the flash.</summary>
    public async Task<IActionResult> OnPostCallAsync(CancellationToken ct) =>
        FlashAndRedirect(await calls.StartAsync(StartCallRequest.For(Id), ct), _ => "Calling. Your phone rings first; the call appears below, and its outcome form when it ends.", $"/leads/{Id}", StartedCall.Blocked);

    private async Task<CallTimeline> TimelineAsync(CancellationToken ct)
    {
        var outcome = await calls.ListAsync(new CallQuery(Id, null, null, null, null, null, 1, 100), ct);
        var items = outcome is Outcome<PagedList<CallDto>>.Ok list ? list.Value.Items : [];
        var withTranscript = items.Where(c => c.Transcript is not null).Select(c => c.Id).ToList();
        return new CallTimeline(items, Ctx.Tenant, await analyses.GlancesAsync(withTranscript, ct));
    }
}
