using Switchboard.Features.CustomFields;
using Switchboard.Features.Export;
using Switchboard.Features.Lists;
using Switchboard.Features.Views;
using Switchboard.Features.Leads;

namespace Switchboard.Ui.Lists;

/// <summary>What the account and contact lists share: search, owner filter, sortable columns, paging and htmx fragments.</summary>
public interface IListPage
{
    string ResultsTarget { get; }
    int PageNumber { get; }
    int PageCount { get; }
    /// <summary>The page count as the pager shows it: exact, "21+" or "about 20,000" (<see cref="ListTotals"/>).</summary>
    string PageCountText { get; }
    string Link(int? page = null, string? sort = null);
    string SortLink(string field);
    string AriaSort(string field);
}

/// <summary>
/// The account and contact lists: search, owner, filters on any field, chosen columns, saved views, CSV export,
/// sortable columns, paging and htmx fragments.
/// </summary>
public abstract class CrmListPage<TEntity, TDto>(TenantContext ctx, SwitchboardDbContext db, ViewService views, CustomFieldValidator customFields)
    : AppPageModel, IListPage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Owner { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    public int PageNumber { get; private set; } = 1;

    public PagedList<TDto> Results { get; private set; } = new([], 0, 1, PageSize);
    public IReadOnlyList<OwnerOption> Owners { get; private set; } = [];
    public ListViewState List { get; private set; } = null!;
    public TenantSettings? Tenant => ctx.Tenant;
    public bool CanCreate => RecordPermissions.CanCreate(ctx);
    public bool ShowOwnerFilter => !RecordPermissions.SeesOnlyOwn(ctx);
    public bool IsFiltered => !string.IsNullOrWhiteSpace(Q) || Owner is not null || List.IsFiltered;
    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);
    public string PageCountText => ListTotals.Pages(Results);
    public string CurrentSort => Sort ?? "name";

    public abstract string BasePath { get; }
    public string ResultsTarget => $"{Entity}-results";
    public string FormId => $"{Entity}-filters";

    /// <summary>The entity's name in custom fields and saved views ("account"); it also names the page's htmx targets.</summary>
    protected abstract string Entity { get; }

    /// <summary>The list's fields with the tenant's custom fields of <see cref="Entity"/>.</summary>
    protected abstract ListCatalogue<TEntity, TDto> Catalogue(CustomFieldSet custom);
    protected abstract Task<Outcome<PagedList<TDto>>> ListAsync(int page, ListCriteria criteria, CancellationToken ct);
    protected abstract Task<ExportOutcome> ExportAsync(ListExports exports, ListCriteria criteria, CancellationToken ct);

    /// <summary>Names for ids shown in the chosen columns (accounts of the page's rows).</summary>
    protected virtual Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IReadOnlyList<TDto> rows, CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<Guid, string>>(new Dictionary<Guid, string>());

    private IReadOnlyDictionary<Guid, string> _names = new Dictionary<Guid, string>();

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (ctx.TenantId is null) return ctx.IsSuperadmin ? LocalRedirect("/tenants") : Forbid();
        if (ListPageActions.AddedFilterUrl(Request, BasePath) is { } added) return LocalRedirect(added);
        if (await ListPageActions.ViewUrlAsync(Request, views, Entity, BasePath, "q", ct) is { } opened) return LocalRedirect(opened);
        if (!ShowOwnerFilter) Owner = null;
        PageNumber = Math.Max(1, pageNumber ?? 1);

        List = await StateAsync(ct);
        if (await ListAsync(PageNumber, List.Criteria, ct) is not Outcome<PagedList<TDto>>.Ok ok) return BadRequest();
        Results = ok.Value;
        Owners = await LeadOwners.ListAsync(db, ct);
        _names = await NamesAsync(Results.Items, ct);

        Response.Headers.Vary = "HX-Request";
        return IsFragmentRequest(ResultsTarget) ? Partial("_Results", this) : Page();
    }

    public async Task<IActionResult> OnGetExportAsync([FromServices] ListExports exports, CancellationToken ct)
    {
        if (ctx.TenantId is null) return Forbid();
        if (!ShowOwnerFilter) Owner = null;
        var state = await StateAsync(ct, withViews: false);
        return ListPageActions.Answer(this, await ExportAsync(exports, state.ExportCriteria, ct));
    }

    public Task<IActionResult> OnPostSaveViewAsync(string? state, string? viewName, bool viewShared, CancellationToken ct) =>
        ListPageActions.SaveViewAsync(this, views, Entity, BasePath, "q", state, viewName, viewShared, ct);

    public Task<IActionResult> OnPostDeleteViewAsync(Guid viewId, CancellationToken ct) =>
        ListPageActions.DeleteViewAsync(this, views, viewId, BasePath, ct);

    /// <param name="withViews">false for an export, which needs the list's criteria and not the saved views to pick from.</param>
    private async Task<ListViewState> StateAsync(CancellationToken ct, bool withViews = true)
    {
        var catalogue = Catalogue(await customFields.ForEntityAsync(Entity, ct));
        if (Sort is not null && !catalogue.Accepts(Sort)) Sort = null;
        var carry = new Dictionary<string, string?>
        {
            ["q"] = string.IsNullOrWhiteSpace(Q) ? null : Q,
            ["owner"] = Owner?.ToString(),
            ["sort"] = Sort,
        };
        return ListViewState.Build(catalogue, Request, ListContexts.For(ctx), carry,
            withViews ? await ListPageActions.ViewsAsync(views, Entity, ct) : [], ListExport.CanExport(ctx), BasePath, FormId, ResultsTarget);
    }

    public string OwnerName(Guid? id) => LeadOwners.NameOf(Owners, id);

    public ListCell Cell(ListColumn column, TDto row) => new(column, row!, NameOf, Tenant);

    private string? NameOf(Guid id) => Owners.FirstOrDefault(o => o.Id == id)?.Name ?? _names.GetValueOrDefault(id);

    /// <summary>This list's URL with some query values replaced; the others (search, owner, filters, columns, view) carry over.</summary>
    public string Link(int? page = null, string? sort = null) => List.Url(page, sort);

    /// <summary>Clicking a column sorts by it ascending, or flips the direction when it is already the sort.</summary>
    public string SortLink(string field) => Link(sort: CurrentSort == field ? "-" + field : field);

    public string AriaSort(string field) =>
        CurrentSort == field ? "ascending" : CurrentSort == "-" + field ? "descending" : "none";
}

/// <summary>One sortable column header of a list.</summary>
public sealed record SortHeader(IListPage List, string Field, string Label);
