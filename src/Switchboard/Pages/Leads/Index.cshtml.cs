using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Switchboard.Features.Leads;
using Switchboard.Pages.Shared;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;

namespace Switchboard.Pages.Leads;

public sealed class IndexModel(LeadService leads, TenantContext ctx, SwitchboardDbContext db) : AppPageModel
{
    public const int PageSize = 50;
    public const string ResultsTarget = "lead-results";

    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Owner { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    public int PageNumber { get; private set; } = 1;

    public PagedList<LeadDto> Results { get; private set; } = new([], 0, 1, PageSize);
    public IReadOnlyList<OwnerOption> Owners { get; private set; } = [];
    public TenantSettings? Tenant => ctx.Tenant;
    public bool CanCreate => LeadPermissions.CanCreate(ctx);
    public bool ShowOwnerFilter => !LeadPermissions.SeesOnlyOwn(ctx);
    public bool IsFiltered => !string.IsNullOrWhiteSpace(Search) || Status is not null || Owner is not null;
    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (ctx.TenantId is null) return ctx.IsSuperadmin ? LocalRedirect("/tenants") : Forbid();
        if (Status is not null && !LeadStatuses.All.Contains(Status)) Status = null;
        if (Sort is not null && !LeadSorts.All.Contains(Sort.TrimStart('-'))) Sort = null;
        if (!ShowOwnerFilter) Owner = null;
        PageNumber = Math.Max(1, pageNumber ?? 1);

        var outcome = await leads.ListAsync(new LeadQuery(Search, Status, Owner, Sort, PageNumber, PageSize), ct);
        if (outcome is not Outcome<PagedList<LeadDto>>.Ok ok) return BadRequest();
        Results = ok.Value;
        Owners = await LeadOwners.ListAsync(db, ct);

        Response.Headers.Vary = "HX-Request";
        return IsFragmentRequest(ResultsTarget) ? Partial("_Results", this) : Page();
    }

    public string OwnerName(Guid? id) => LeadOwners.NameOf(Owners, id);

    /// <summary>This list's URL with some query values replaced; the others (search, filters) carry over.</summary>
    public string Link(int? page = null, string? sort = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["search"] = string.IsNullOrWhiteSpace(Search) ? null : Search,
            ["status"] = Status,
            ["owner"] = Owner?.ToString(),
            ["sort"] = sort ?? Sort,
            ["page"] = (page ?? 1) > 1 ? page.ToString() : null,
        };
        return QueryHelpers.AddQueryString("/leads", query.Where(kv => kv.Value is not null));
    }

    public string CurrentSort => Sort ?? "-createdAt";

    /// <summary>Clicking a column sorts by it ascending, or flips the direction when it is already the sort.</summary>
    public string SortLink(string field) => Link(sort: CurrentSort == field ? "-" + field : field);

    public string AriaSort(string field) =>
        CurrentSort == field ? "ascending" : CurrentSort == "-" + field ? "descending" : "none";
}
