using Switchboard.Features.Modules;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Features.Opportunities;
using Switchboard.Pages.Shared;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;

namespace Switchboard.Pages.Opportunities;

[RequireModule(ModuleNames.Opportunities)]
public sealed class ListModel(OpportunityService opportunities, PipelineService pipelines, TenantContext ctx) : AppPageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public PagedList<OpportunityDto> Results { get; private set; } = new([], 0, 1, 50);
    public Dictionary<Guid, string> StageNames { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null) return ctx.IsSuperadmin ? LocalRedirect("/tenants") : Forbid();
        if (Status is not null && !StageKinds.All.Contains(Status)) Status = null;
        var outcome = await opportunities.ListAsync(new OpportunityQuery(Q, null, null, null, null, Status, null, Math.Max(1, PageNumber ?? 1), 50), ct);
        if (outcome is not Outcome<PagedList<OpportunityDto>>.Ok ok) return BadRequest();
        Results = ok.Value;
        StageNames = (await pipelines.ListAsync(ct)).SelectMany(p => p.Stages).ToDictionary(s => s.Id, s => s.Name);
        return Page();
    }
}
