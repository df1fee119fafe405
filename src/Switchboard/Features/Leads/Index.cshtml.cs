using Switchboard.Features.CustomFields;
using Switchboard.Features.Export;
using Switchboard.Features.Lists;
using Switchboard.Features.Views;
using Switchboard.Features.Accounts;
using Switchboard.Ui.Lists;
using Switchboard.Features.Dialer;

namespace Switchboard.Features.Leads;

public sealed class IndexModel(LeadService leads, CustomFieldValidator customFields, ViewService views, TenantContext ctx, SwitchboardDbContext db) : AppPageModel, IListPage
{
    public const int PageSize = 50;
    public const string FormId = "lead-filters";
    public const string Target = "lead-results";

    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Owner { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    public int PageNumber { get; private set; } = 1;

    public PagedList<LeadDto> Results { get; private set; } = new([], 0, 1, PageSize);
    public IReadOnlyList<OwnerOption> Owners { get; private set; } = [];
    public ListViewState List { get; private set; } = null!;
    public TenantSettings? Tenant => ctx.Tenant;
    public bool CanCreate => RecordPermissions.CanCreate(ctx);
    public bool ShowOwnerFilter => !RecordPermissions.SeesOnlyOwn(ctx);
    public bool IsFiltered => !string.IsNullOrWhiteSpace(Search) || Status is not null || Owner is not null || List.IsFiltered;
    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);
    public string PageCountText => ListTotals.Pages(Results);
    public string ResultsTarget => Target;

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (ctx.TenantId is null) return ctx.IsSuperadmin ? LocalRedirect("/tenants") : Forbid();
        if (ListPageActions.AddedFilterUrl(Request, "/leads") is { } added) return LocalRedirect(added);
        if (await ListPageActions.ViewUrlAsync(Request, views, CustomFieldEntities.Lead, "/leads", "search", ct) is { } opened) return LocalRedirect(opened);
        Normalize();
        PageNumber = Math.Max(1, pageNumber ?? 1);

        List = await StateAsync(ct);
        var outcome = await leads.ListAsync(new LeadQuery(Search, Status, Owner, Sort, PageNumber, PageSize), ct, criteria: List.Criteria);
        if (outcome is not Outcome<PagedList<LeadDto>>.Ok ok) return BadRequest();
        Results = ok.Value;
        Owners = await LeadOwners.ListAsync(db, ct);

        Response.Headers.Vary = "HX-Request";
        return IsFragmentRequest(Target) ? Partial("_Results", this) : Page();
    }

    public async Task<IActionResult> OnGetExportAsync([FromServices] ListExports exports, CancellationToken ct)
    {
        if (ctx.TenantId is null) return Forbid();
        Normalize();
        var state = await StateAsync(ct, withViews: false);
        return ListPageActions.Answer(this, await exports.LeadsAsync(Response, new LeadQuery(Search, Status, Owner, Sort, null, null), null, state.ExportCriteria, null, ct));
    }

    public Task<IActionResult> OnPostSaveViewAsync(string? state, string? viewName, bool viewShared, CancellationToken ct) =>
        ListPageActions.SaveViewAsync(this, views, CustomFieldEntities.Lead, "/leads", "search", state, viewName, viewShared, ct);

    public Task<IActionResult> OnPostDeleteViewAsync(Guid viewId, CancellationToken ct) =>
        ListPageActions.DeleteViewAsync(this, views, viewId, "/leads", ct);

    private void Normalize()
    {
        if (Status is not null && !LeadStatuses.All.Contains(Status)) Status = null;
        if (!ShowOwnerFilter) Owner = null;
    }

    /// <param name="withViews">false for an export, which needs the list's criteria and not the saved views to pick from.</param>
    private async Task<ListViewState> StateAsync(CancellationToken ct, bool withViews = true)
    {
        var catalogue = LeadList.Catalogue(await customFields.ForEntityAsync(CustomFieldEntities.Lead, ct));
        if (Sort is not null && !catalogue.Accepts(Sort)) Sort = null;
        var carry = new Dictionary<string, string?>
        {
            ["search"] = string.IsNullOrWhiteSpace(Search) ? null : Search,
            ["status"] = Status,
            ["owner"] = Owner?.ToString(),
            ["sort"] = Sort,
        };
        return ListViewState.Build(catalogue, Request, ListContexts.For(ctx), carry,
            withViews ? await ListPageActions.ViewsAsync(views, CustomFieldEntities.Lead, ct) : [], ListExport.CanExport(ctx), "/leads", FormId, Target);
    }

    public string OwnerName(Guid? id) => LeadOwners.NameOf(Owners, id);

    public ListCell Cell(ListColumn column, LeadDto row) => new(column, row, id => Owners.FirstOrDefault(o => o.Id == id)?.Name, Tenant);

    /// <summary>This list's URL with some query values replaced; the others (search, filters, columns, view) carry over.</summary>
    public string Link(int? page = null, string? sort = null) => List.Url(page, sort);

    public string CurrentSort => Sort ?? "-createdAt";

    /// <summary>Clicking a column sorts by it ascending, or flips the direction when it is already the sort.</summary>
    public string SortLink(string field) => Link(sort: CurrentSort == field ? "-" + field : field);

    public string AriaSort(string field) =>
        CurrentSort == field ? "ascending" : CurrentSort == "-" + field ? "descending" : "none";
}
