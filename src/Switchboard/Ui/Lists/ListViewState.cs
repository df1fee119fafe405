using Microsoft.AspNetCore.WebUtilities;
using Switchboard.Features.Lists;
using Switchboard.Features.Views;

namespace Switchboard.Ui.Lists;

/// <summary>A column of a list page: how to read a row's value, and the sort it offers, if any.</summary>
public sealed record ListColumn(string Key, string Label, FieldKind Kind, bool IsPhone, string? SortKey, Func<object, object?> Value);

public sealed record ActiveFilter(string Key, string Label, string Op, string? Value, string RemoveUrl);

public sealed record FieldOption(string Key, string Label, IReadOnlyList<string> Operators, IReadOnlyList<string> Options);

public sealed record ColumnOption(string Key, string Label, bool Selected);

/// <summary>
/// The list page's filters, columns and saved views, read from the query string: what the tool bar shows, what
/// the table renders, and the query string that reproduces the list (links, "Save view", "Export CSV").
/// Filters the list would refuse are left out and named, so a stale bookmark still opens.
/// </summary>
public sealed record ListViewState
{
    public required string BasePath { get; init; }
    public required string FormId { get; init; }
    public required string ResultsTarget { get; init; }

    /// <summary>search, status, owner, sort: the page's own parameters, carried by every link and form.</summary>
    public required IReadOnlyDictionary<string, string?> Carry { get; init; }
    public required ListCriteria Criteria { get; init; }
    public required IReadOnlyList<ActiveFilter> Filters { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }
    public required IReadOnlyList<FieldOption> FilterFields { get; init; }
    public required IReadOnlyList<ColumnOption> ColumnOptions { get; init; }
    public required IReadOnlyList<ListColumn> Columns { get; init; }
    public required IReadOnlyList<ViewDto> Views { get; init; }
    public Guid? ViewId { get; init; }
    public bool CanExport { get; init; }

    public ViewDto? CurrentView => Views.FirstOrDefault(v => v.Id == ViewId);

    /// <summary>The query pairs that reproduce this list (no page, no view marker).</summary>
    public IEnumerable<KeyValuePair<string, string?>> StatePairs(string? sort = null, ListFilter? without = null)
    {
        foreach (var (key, value) in Carry)
        {
            var v = key == "sort" && sort is not null ? sort : value;
            if (!string.IsNullOrWhiteSpace(v)) yield return new(key, v);
        }
        foreach (var filter in Criteria.Filters.Where(f => !ReferenceEquals(f, without)))
            yield return new(ListFilter.QueryPrefix + filter.Field, filter.QueryValue);
        if (Criteria.Columns is { } columns) yield return new("columns", string.Join(',', columns));
    }

    public string StateQuery => QueryString.Create(StatePairs()).ToString().TrimStart('?');

    public string Url(int? page = null, string? sort = null)
    {
        var pairs = StatePairs(sort).ToList();
        if (ViewId is { } view) pairs.Add(new("view", view.ToString()));
        if (page is > 1) pairs.Add(new("page", page.ToString()));
        return BasePath + QueryString.Create(pairs);
    }

    public string ExportUrl => BasePath + "?" + string.Join('&', new[] { "handler=export", StateQuery }.Where(s => s.Length > 0));

    public bool IsFiltered => Criteria.Filters.Count > 0;

    /// <summary>What the page's "Export CSV" writes: the columns the page shows, the name first.</summary>
    public ListCriteria ExportCriteria => Criteria with { Columns = ["name", .. Columns.Select(c => c.Key)] };

    public static ListViewState Build<TEntity, TDto>(
        ListCatalogue<TEntity, TDto> catalogue, HttpRequest request, ListContext context, IReadOnlyDictionary<string, string?> carry,
        IReadOnlyList<ViewDto> views, bool canExport, string basePath, string formId, string resultsTarget)
    {
        var problems = new List<string>();
        var filters = new List<ListFilter>();
        foreach (var filter in ListFilter.FromQuery(request.Query))
        {
            var errors = new Platform.Web.ValidationErrors();
            catalogue.Check(new ListCriteria([filter], []), context, errors);
            if (errors.IsValid) filters.Add(filter);
            else problems.AddRange(errors.ToDictionary().SelectMany(e => e.Value));
        }
        var asked = ListCriteria.ColumnsFrom(request.Query["columns"]);
        var columns = asked?.Where(c => catalogue.Find(c) is not null && c != "name").ToList();
        if (asked is not null && columns!.Count < asked.Count(c => c != "name")) problems.Add("Some columns no longer exist and were left out.");
        var criteria = new ListCriteria(filters, columns is { Count: > 0 } ? columns : null);
        var viewId = Guid.TryParse(request.Query["view"], out var id) && views.Any(v => v.Id == id) ? id : (Guid?)null;

        var state = new ListViewState
        {
            BasePath = basePath, FormId = formId, ResultsTarget = resultsTarget, Carry = carry, Criteria = criteria, Problems = problems,
            Filters = [], ColumnOptions = [], Columns = [], Views = views, ViewId = viewId, CanExport = canExport,
            FilterFields = catalogue.Fields.Where(f => f.Operators.Count > 0 && f.Choosable)
                .Select(f => new FieldOption(f.Key, f.Label, f.Operators, f.Options)).ToList(),
        };
        var shown = criteria.Columns ?? catalogue.DefaultColumns;
        return state with
        {
            Filters = filters.Select(f => new ActiveFilter(f.Field, catalogue.Find(f.Field)!.Label, FilterOps.Label(f.Op), f.Value,
                basePath + QueryString.Create(state.StatePairs(without: f)))).ToList(),
            ColumnOptions = catalogue.Fields.Where(f => f.Choosable && f.Key != "name")
                .Select(f => new ColumnOption(f.Key, f.Label, shown.Contains(f.Key))).ToList(),
            Columns = shown.Select(k => catalogue.Find(k)!).Select(f => new ListColumn(
                f.Key, f.Label, f.Kind, f.IsPhone, catalogue.Sorts.Contains(f.Key) ? f.Key : null, row => f.ValueOf((TDto)row))).ToList(),
        };
    }

    /// <summary>A saved view's definition as this list's query string, marked with the view's id.</summary>
    public static string ViewUrl(string basePath, string searchParameter, ViewDto view)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        if (view.Definition.Search is { } search) pairs.Add(new(searchParameter, search));
        if (view.Definition.Sort is { } sort) pairs.Add(new("sort", sort));
        pairs.AddRange(view.Definition.Filters.Select(f => new KeyValuePair<string, string?>(ListFilter.QueryPrefix + f.Field, f.QueryValue)));
        if (view.Definition.Columns is { } columns) pairs.Add(new("columns", string.Join(',', columns)));
        pairs.Add(new("view", view.Id.ToString()));
        return basePath + QueryString.Create(pairs);
    }

    /// <summary>
    /// The definition a page's current list saves as: its search, sort, filters and columns; the page's own status
    /// and owner selections become filters, so the view means the same on every list and in the API.
    /// </summary>
    public static ViewDefinition Definition(string state, string searchParameter)
    {
        var query = new QueryCollection(QueryHelpers.ParseQuery(state));
        var criteria = ListCriteria.FromQuery(query);
        var filters = criteria.Filters.ToList();
        if (query.TryGetValue("status", out var status) && !string.IsNullOrWhiteSpace(status)) filters.Add(new ListFilter("status", FilterOps.Eq, status.ToString()));
        if (query.TryGetValue("owner", out var owner) && !string.IsNullOrWhiteSpace(owner)) filters.Add(new ListFilter("ownerId", FilterOps.Eq, owner.ToString()));
        return new ViewDefinition(
            filters,
            criteria.Columns,
            query.TryGetValue("sort", out var sort) && !string.IsNullOrWhiteSpace(sort) ? sort.ToString() : null,
            query.TryGetValue(searchParameter, out var search) && !string.IsNullOrWhiteSpace(search) ? search.ToString() : null);
    }
}

/// <summary>One cell of a list table; <see cref="NameOf"/> turns owner and record ids into names.</summary>
public sealed record ListCell(ListColumn Column, object Row, Func<Guid, string?> NameOf, Platform.Tenancy.TenantSettings? Tenant);
