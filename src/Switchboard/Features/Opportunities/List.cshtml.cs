using Switchboard.Features.Accounts;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Export;
using Switchboard.Features.Lists;
using Switchboard.Features.Modules;
using Switchboard.Features.Views;
using Switchboard.Features.Leads;
using Switchboard.Ui.Lists;

namespace Switchboard.Features.Opportunities;

[RequireModule(ModuleNames.Opportunities)]
public sealed class ListModel(
    OpportunityService opportunities, CustomFieldValidator customFields, ViewService views, AccountService accounts, TenantContext ctx, SwitchboardDbContext db)
    : AppPageModel, IListPage
{
    public const int PageSize = 50;
    private const string BasePath = "/opportunities/list";

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    public int PageNumber { get; private set; } = 1;

    public PagedList<OpportunityDto> Results { get; private set; } = new([], 0, 1, PageSize);
    public ListViewState List { get; private set; } = null!;
    public TenantSettings? Tenant => ctx.Tenant;
    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);
    public string PageCountText => ListTotals.Pages(Results);
    public string ResultsTarget => "opportunity-results";
    public string CurrentSort => Sort ?? "-createdAt";
    private IReadOnlyDictionary<Guid, string> _names = new Dictionary<Guid, string>();

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, [FromServices] ListExport export, CancellationToken ct)
    {
        if (ctx.TenantId is null) return ctx.IsSuperadmin ? LocalRedirect("/tenants") : Forbid();
        if (ListPageActions.AddedFilterUrl(Request, BasePath) is { } added) return LocalRedirect(added);
        if (await ListPageActions.ViewUrlAsync(Request, views, CustomFieldEntities.Opportunity, BasePath, "q", ct) is { } opened) return LocalRedirect(opened);
        Normalize();
        PageNumber = Math.Max(1, pageNumber ?? 1);
        List = await StateAsync(ct);
        var outcome = await opportunities.ListAsync(new OpportunityQuery(Q, null, null, null, null, Status, Sort, PageNumber, PageSize), List.Criteria, ct);
        if (outcome is not Outcome<PagedList<OpportunityDto>>.Ok ok) return BadRequest();
        Results = ok.Value;
        var names = new Dictionary<Guid, string>((await export.ContextAsync(ct)).Names!);
        var accountIds = Results.Items.Select(o => o.AccountId).OfType<Guid>().Distinct().ToList();
        foreach (var a in await accounts.Visible().AsNoTracking().Where(a => accountIds.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToListAsync(ct))
            names[a.Id] = a.Name;
        _names = names;
        Response.Headers.Vary = "HX-Request";
        return IsFragmentRequest(ResultsTarget) ? Partial("_ListResults", this) : Page();
    }

    public async Task<IActionResult> OnGetExportAsync([FromServices] ListExports exports, CancellationToken ct)
    {
        if (ctx.TenantId is null) return Forbid();
        Normalize();
        var state = await StateAsync(ct, withViews: false);
        return ListPageActions.Answer(this, await exports.OpportunitiesAsync(
            Response, new OpportunityQuery(Q, null, null, null, null, Status, Sort, null, null), state.ExportCriteria, null, ct));
    }

    public Task<IActionResult> OnPostSaveViewAsync(string? state, string? viewName, bool viewShared, CancellationToken ct) =>
        ListPageActions.SaveViewAsync(this, views, CustomFieldEntities.Opportunity, BasePath, "q", state, viewName, viewShared, ct);

    public Task<IActionResult> OnPostDeleteViewAsync(Guid viewId, CancellationToken ct) =>
        ListPageActions.DeleteViewAsync(this, views, viewId, BasePath, ct);

    private void Normalize()
    {
        if (Status is not null && !StageKinds.All.Contains(Status)) Status = null;
    }

    /// <param name="withViews">false for an export, which needs the list's criteria and not the saved views to pick from.</param>
    private async Task<ListViewState> StateAsync(CancellationToken ct, bool withViews = true)
    {
        var catalogue = OpportunityList.Catalogue(await customFields.ForEntityAsync(CustomFieldEntities.Opportunity, ct), db.Set<PipelineStage>());
        if (Sort is not null && !catalogue.Accepts(Sort)) Sort = null;
        var carry = new Dictionary<string, string?>
        {
            ["q"] = string.IsNullOrWhiteSpace(Q) ? null : Q,
            ["status"] = Status,
            ["sort"] = Sort,
        };
        return ListViewState.Build(catalogue, Request, ListContexts.For(ctx), carry,
            withViews ? await ListPageActions.ViewsAsync(views, CustomFieldEntities.Opportunity, ct) : [], ListExport.CanExport(ctx), BasePath, "opportunity-filters", ResultsTarget);
    }

    public ListCell Cell(ListColumn column, OpportunityDto row) => new(column, row, id => _names.GetValueOrDefault(id), Tenant);

    public string Link(int? page = null, string? sort = null) => List.Url(page, sort);

    public string SortLink(string field) => Link(sort: CurrentSort == field ? "-" + field : field);

    public string AriaSort(string field) =>
        CurrentSort == field ? "ascending" : CurrentSort == "-" + field ? "descending" : "none";
}
