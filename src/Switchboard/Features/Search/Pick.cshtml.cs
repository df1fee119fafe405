namespace Switchboard.Features.Search;

/// <summary>
/// The options of a record picker (Ui/Forms/_RecordPicker): the records of one kind that match what was typed, found by
/// <see cref="GlobalSearch"/> on the caller's connection, so an agent finds only the records they may see. A fragment
/// for the picker to put in its list box.
/// </summary>
public sealed class PickModel(GlobalSearch search, TenantContext ctx) : AppPageModel
{
    public const int Limit = 10;

    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }

    public IReadOnlyList<SearchHit> Hits { get; private set; } = [];

    /// <summary>What to say instead of (or for want of) options: type more, nothing matches.</summary>
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null) return NotFound();
        if (Kind is null || !GlobalSearch.Kinds.Contains(Kind)) return BadRequest();
        Response.Headers.CacheControl = "no-store";
        var query = (Q ?? "").Trim();
        if (query.Length < GlobalSearch.MinLength)
        {
            Message = $"Type {GlobalSearch.MinLength} or more characters to search.";
            return Page();
        }
        switch (await search.SearchAsync(query, Limit, ct, Kind))
        {
            case Outcome<SearchResults>.Ok { Value: var found }:
                Hits = [.. found.Leads, .. found.Contacts, .. found.Accounts, .. found.Opportunities];
                if (Hits.Count == 0) Message = $"No {Kind} matches “{query}”.";
                break;
            case Outcome<SearchResults>.Invalid invalid:
                Message = string.Join(" ", invalid.Errors.Values.SelectMany(v => v));
                break;
        }
        return Page();
    }
}
