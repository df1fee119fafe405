using Switchboard.Features.Dialer;

namespace Switchboard.Features.Search;

/// <summary>Global search: leads, contacts, accounts and opportunities matching the query, grouped, best first; live as you type.</summary>
public sealed class IndexModel(GlobalSearch search, TenantContext ctx) : AppPageModel
{
    public const string ResultsTarget = "search-results";

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public SearchResults? Results { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null) return NotFound();
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var outcome = await search.SearchAsync(Q, limit: 10, ct);
            if (outcome is Outcome<SearchResults>.Ok { Value: var results }) Results = results;
            else ShowProblem(outcome);
        }
        Response.Headers.Vary = "HX-Request";
        return IsFragmentRequest(ResultsTarget) ? Partial("_SearchResults", this) : Page();
    }
}
