using Switchboard.Ui.Calls;

namespace Switchboard.Features.Calls;

/// <summary>
/// The outcome step of one call on a page of its own (GET), and where every record page's outcome form posts (POST):
/// htmx gets the record page's outcome card back, a page without script is sent back to where it came from.
/// </summary>
public sealed class OutcomeModel(OutcomeStep step, CallService calls) : AppPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public CallOutcomeForm Outcome { get; set; } = new();

    public CallOutcomeView? Form { get; private set; }
    public CallDto? Call { get; private set; }

    private string Action => $"/calls/{Id}/outcome";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await calls.FindAsync(Id, ct) is not { } call) return NotFound();
        Call = call;
        if (call.Disposition is null) Form = await step.ViewAsync(call, Action, new CallOutcomeForm { CallId = call.Id }, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Outcome.CallId = Id;
        var result = await step.SaveAsync(Outcome, ct);
        var panel = IsFragmentRequest(OutcomeStep.PanelTarget) ? PanelUrl(Outcome.ReturnUrl) : null;
        switch (result)
        {
            case Outcome<CallDto>.Ok:
                if (panel is not null) return Partial("_CallOutcomePanel", new CallOutcomePanel(panel, null, "Outcome saved."));
                Flash("Outcome saved.");
                return RedirectToLocal(Outcome.ReturnUrl, Action);
            case Outcome<CallDto>.NotFound:
                return NotFound();
        }
        ShowProblem(result);
        if (await calls.FindAsync(Id, ct) is not { } call) return NotFound();
        Call = call;
        Form = await step.ViewAsync(call, Action, Outcome, ct) with
        {
            Errors = Errors, FormError = FormError,
            HxTarget = panel is null ? null : "#" + OutcomeStep.PanelTarget, HxSwap = panel is null ? null : "outerHTML",
        };
        return panel is not null ? Partial("_CallOutcomePanel", new CallOutcomePanel(panel, Form)) : Page();
    }

    /// <summary>A record page's outcome card is re-fetched from its page's Outcome handler.</summary>
    private string? PanelUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) && !url.Contains('?') && !url.Contains('#') ? url + "?handler=Outcome" : null;
}
