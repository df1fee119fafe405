using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Switchboard.Features.Accounts;
using Switchboard.Pages.Leads;
using Switchboard.Pages.Shared;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;

namespace Switchboard.Pages.Accounts;

/// <summary>What the account and contact lists share: search, owner filter, sortable columns, paging and htmx fragments.</summary>
public interface IListPage
{
    string ResultsTarget { get; }
    int PageNumber { get; }
    int PageCount { get; }
    string Link(int? page = null, string? sort = null);
    string SortLink(string field);
    string AriaSort(string field);
}

public abstract class CrmListPage<TDto>(TenantContext ctx, SwitchboardDbContext db) : AppPageModel, IListPage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Owner { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    public int PageNumber { get; private set; } = 1;

    public PagedList<TDto> Results { get; private set; } = new([], 0, 1, PageSize);
    public IReadOnlyList<OwnerOption> Owners { get; private set; } = [];
    public TenantSettings? Tenant => ctx.Tenant;
    public bool CanCreate => CrmPermissions.CanCreate(ctx);
    public bool ShowOwnerFilter => !CrmPermissions.SeesOnlyOwn(ctx);
    public bool IsFiltered => !string.IsNullOrWhiteSpace(Q) || Owner is not null;
    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);
    public string CurrentSort => Sort ?? "name";

    public abstract string BasePath { get; }
    public abstract string ResultsTarget { get; }
    protected abstract Task<Outcome<PagedList<TDto>>> ListAsync(int page, CancellationToken ct);

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (ctx.TenantId is null) return ctx.IsSuperadmin ? LocalRedirect("/tenants") : Forbid();
        if (Sort is not null && !CrmSearch.Sorts.Contains(Sort.TrimStart('-'))) Sort = null;
        if (!ShowOwnerFilter) Owner = null;
        PageNumber = Math.Max(1, pageNumber ?? 1);

        if (await ListAsync(PageNumber, ct) is not Outcome<PagedList<TDto>>.Ok ok) return BadRequest();
        Results = ok.Value;
        Owners = await LeadOwners.ListAsync(db, ct);

        Response.Headers.Vary = "HX-Request";
        return IsFragmentRequest(ResultsTarget) ? Partial("_Results", this) : Page();
    }

    public string OwnerName(Guid? id) => LeadOwners.NameOf(Owners, id);

    /// <summary>This list's URL with some query values replaced; the others (search, owner) carry over.</summary>
    public string Link(int? page = null, string? sort = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = string.IsNullOrWhiteSpace(Q) ? null : Q,
            ["owner"] = Owner?.ToString(),
            ["sort"] = sort ?? Sort,
            ["page"] = (page ?? 1) > 1 ? page.ToString() : null,
        };
        return QueryHelpers.AddQueryString(BasePath, query.Where(kv => kv.Value is not null));
    }

    /// <summary>Clicking a column sorts by it ascending, or flips the direction when it is already the sort.</summary>
    public string SortLink(string field) => Link(sort: CurrentSort == field ? "-" + field : field);

    public string AriaSort(string field) =>
        CurrentSort == field ? "ascending" : CurrentSort == "-" + field ? "descending" : "none";
}

/// <summary>One sortable column header of a list.</summary>
public sealed record SortHeader(IListPage List, string Field, string Label);
