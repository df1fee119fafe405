using Microsoft.AspNetCore.WebUtilities;
using Switchboard.Features.Export;
using Switchboard.Features.Lists;
using Switchboard.Features.Views;

namespace Switchboard.Ui.Lists;

/// <summary>What every list page does with its tool bar: add a filter, open, save and delete a view, export.</summary>
public static class ListPageActions
{
    /// <summary>The list's URL with the "Add filter" form's field, condition and value (af, aop, av) as a filter.* parameter; null when none was added.</summary>
    public static string? AddedFilterUrl(HttpRequest request, string basePath)
    {
        var field = request.Query["af"].ToString();
        if (string.IsNullOrWhiteSpace(field)) return null;
        var op = request.Query["aop"].ToString();
        var value = request.Query["av"].ToString().Trim();
        var pairs = request.Query.Where(q => q.Key is not ("af" or "aop" or "av" or "page" or "view"))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))).ToList();
        pairs.Add(new(ListFilter.QueryPrefix + field, new ListFilter(field, op, FilterOps.IsValueless(op) ? null : value).QueryValue));
        return basePath + QueryString.Create(pairs);
    }

    /// <summary>The URL that opens a saved view (viewId=...), or null when none was asked for; an unknown view opens the plain list.</summary>
    public static async Task<string?> ViewUrlAsync(HttpRequest request, ViewService views, string entity, string basePath, string searchParameter, CancellationToken ct)
    {
        var asked = request.Query["viewId"].ToString();
        if (asked.Length == 0 && request.Query.ContainsKey("viewId")) return basePath;
        if (!Guid.TryParse(asked, out var id)) return null;
        return await views.FindAsync(id, ct) is { } view && view.Entity == entity ? ListViewState.ViewUrl(basePath, searchParameter, view) : basePath;
    }

    public static async Task<IReadOnlyList<ViewDto>> ViewsAsync(ViewService views, string entity, CancellationToken ct) =>
        await views.ListAsync(entity, ct) is Outcome<ViewList>.Ok ok ? ok.Value.Items : [];

    public static async Task<IActionResult> SaveViewAsync(
        AppPageModel page, ViewService views, string entity, string basePath, string searchParameter,
        string? state, string? name, bool shared, CancellationToken ct)
    {
        var body = new ViewWrite
        {
            Entity = Optional.Of<string?>(entity), Name = Optional.Text(name), Shared = Optional.Of<bool?>(shared),
            Definition = Optional.Of<ViewDefinition?>(ListViewState.Definition(state ?? "", searchParameter)),
        };
        var outcome = await views.CreateAsync(body, ct);
        if (outcome is Outcome<ViewDto>.Ok { Value: var view })
        {
            page.Flash($"Saved the view “{view.Name}”.");
            return page.LocalRedirect(ListViewState.ViewUrl(basePath, searchParameter, view));
        }
        page.Flash(Problem(outcome), FlashKind.Error);
        return page.LocalRedirect(basePath + (string.IsNullOrEmpty(state) ? "" : "?" + state));
    }

    public static async Task<IActionResult> DeleteViewAsync(AppPageModel page, ViewService views, Guid viewId, string basePath, CancellationToken ct)
    {
        var outcome = await views.DeleteAsync(viewId, ct);
        if (outcome is Outcome<bool>.Ok) page.Flash("Deleted the view.");
        else page.Flash(Problem(outcome), FlashKind.Error);
        return page.LocalRedirect(basePath);
    }

    /// <summary>An export from the page: the CSV streams into the response, or the page answers the refusal.</summary>
    public static IActionResult Answer(Microsoft.AspNetCore.Mvc.RazorPages.PageModel page, ExportOutcome outcome) => outcome switch
    {
        ExportOutcome.Written => new EmptyResult(),
        ExportOutcome.Forbidden => page.Forbid(),
        ExportOutcome.ViewNotFound => page.NotFound(),
        _ => page.BadRequest(),
    };

    private static string Problem<T>(Outcome<T> outcome) => outcome switch
    {
        Outcome<T>.Invalid invalid => "The view was not saved: " + invalid.Summary,
        Outcome<T>.Forbidden forbidden => forbidden.Message,
        Outcome<T>.NotFound => "That view no longer exists.",
        _ => "The view could not be saved.",
    };
}
