namespace Switchboard.Features.Calls;

/// <summary>
/// The "outcome needed" bar of the layout (Ui/Components/OutcomeBar): shown to the signed-in agent on every page while
/// one of their ended calls has no outcome. outcome.js re-fetches it from /calls/outcome-bar as their calls change.
/// </summary>
public sealed class OutcomeBarViewComponent(OutcomeStep step) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() => View(await step.PendingAsync(HttpContext.RequestAborted));
}

/// <summary>The bar alone, for the live refresh.</summary>
public sealed class OutcomeBarModel : AppPageModel
{
    public IActionResult OnGet() => new ViewComponentResult { ViewComponentName = "OutcomeBar" };
}
