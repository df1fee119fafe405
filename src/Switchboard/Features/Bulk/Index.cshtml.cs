using Microsoft.AspNetCore.WebUtilities;

namespace Switchboard.Features.Bulk;

/// <summary>
/// The list pages' bulk actions: POST /bulk starts one from a list's bulk bar (the picked rows, or everything matching
/// the list's filter) and answers its progress; GET /bulk/{id} is the progress and then the summary, as a page or as
/// the fragment the bar polls.
/// </summary>
public sealed class IndexModel(BulkService bulk, BulkTargets targets, TenantContext ctx) : AppPageModel
{
    /// <summary>List page parameters that are not the list's selection.</summary>
    private static readonly HashSet<string> NotSelection = ["sort", "columns", "view", "viewId", "page"];

    public BulkOperationDto? Operation { get; private set; }
    public IBulkTarget? Target { get; private set; }
    public string? ReturnUrl { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, string? returnUrl, CancellationToken ct)
    {
        if (ctx.TenantId is null) return Forbid();
        if (id is null) return LocalRedirect("/");
        if (await bulk.FindAsync(id.Value, ct) is not Outcome<BulkOperationDto>.Ok ok) return NotFound();
        Operation = ok.Value;
        Target = targets.ForEntity(Operation.Entity);
        ReturnUrl = LocalOr(returnUrl, "/" + Target?.Path);
        return Request.Headers["HX-Request"] == "true" ? Partial("_Progress", this) : Page();
    }

    public async Task<IActionResult> OnPostAsync(string? entity, string? scope, List<Guid>? ids, string? state, string? action, string? value,
        string? returnUrl, CancellationToken ct)
    {
        if (ctx.TenantId is null) return Forbid();
        if (targets.ForEntity(entity ?? "") is not { } target) return NotFound();
        Target = target;
        ReturnUrl = LocalOr(returnUrl, "/" + target.Path);
        var body = new BulkRequest
        {
            Action = Optional.Text(action),
            Value = Optional.Text(value),
            Ids = scope == "filter" ? default : Optional.Of<IReadOnlyList<Guid>?>(ids ?? []),
            Filter = scope == "filter" ? Optional.Of<Dictionary<string, JsonElement>?>(Filter(state)) : default,
        };
        var outcome = await bulk.StartAsync(target.Path, body, ct);
        var htmx = Request.Headers["HX-Request"] == "true";
        if (outcome is Outcome<BulkStarted>.Ok { Value: var started })
        {
            if (!htmx) return LocalRedirect($"/bulk/{started.Id}?returnUrl={Uri.EscapeDataString(ReturnUrl)}");
            Operation = (await bulk.FindAsync(started.Id, ct) as Outcome<BulkOperationDto>.Ok)?.Value;
            return Partial("_Progress", this);
        }
        Problem = outcome switch
        {
            Outcome<BulkStarted>.Invalid invalid => string.Join(" ", invalid.Errors
                .Select(e => e.Key == "ids" && ids is not { Count: > 0 } ? $"Select at least one {target.Entity} first." : string.Join(" ", e.Value))),
            var other => other.Problem,
        };
        if (htmx) return Partial("_Progress", this);
        Flash(Problem ?? "The bulk action could not start.", FlashKind.Error);
        return LocalRedirect(ReturnUrl);
    }

    /// <summary>The list page's query string as the bulk request's filter: its own parameters, with owner named as the API names it.</summary>
    private static Dictionary<string, JsonElement> Filter(string? state)
    {
        var filter = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, values) in QueryHelpers.ParseQuery(state ?? ""))
        {
            if (NotSelection.Contains(key) || values.All(string.IsNullOrWhiteSpace)) continue;
            filter[key == "owner" ? "ownerId" : key] = JsonSerializer.SerializeToElement(values.Where(v => !string.IsNullOrWhiteSpace(v)).ToArray());
        }
        return filter;
    }

    private string LocalOr(string? url, string fallback) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : fallback;

    /// <summary>The skipped records by reason, most frequent first.</summary>
    public IReadOnlyList<IGrouping<string, BulkSkip>> SkippedByReason =>
        (Operation?.Skipped ?? []).GroupBy(s => s.Reason).OrderByDescending(g => g.Count()).ToList();

    public string Noun(int count) => count == 1 ? Target?.Entity ?? "record" : Target?.Plural ?? "records";

    public string Running => Operation?.Action switch
    {
        BulkActions.Assign => "Assigning",
        BulkActions.Status => "Changing the status of",
        BulkActions.AddToQueue => "Adding to the dialer queue",
        BulkActions.Dnc => "Adding the numbers of",
        BulkActions.Delete => "Deleting",
        _ => "Working on",
    };
}
