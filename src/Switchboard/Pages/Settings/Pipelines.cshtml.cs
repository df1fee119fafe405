using Switchboard.Features.Modules;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Features.Opportunities;
using Switchboard.Pages.Shared;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;

namespace Switchboard.Pages.Settings;

/// <summary>The tenant's pipelines and stages (admins). Editing stages is done through the API for now.</summary>
[RequireModule(ModuleNames.Opportunities)]
public sealed class PipelinesModel(PipelineService pipelines, TenantContext ctx) : AppPageModel
{
    public IReadOnlyList<PipelineDto> Pipelines { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null || !OpportunityPermissions.CanManagePipelines(ctx)) return Forbid();
        Pipelines = await pipelines.ListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDefaultAsync(Guid id, CancellationToken ct)
    {
        if (ctx.TenantId is null || !OpportunityPermissions.CanManagePipelines(ctx)) return Forbid();
        var outcome = await pipelines.UpdateAsync(id, JsonSerializer.SerializeToElement(new { isDefault = true }), null, ct);
        if (outcome is Outcome<PipelineDto>.NotFound) return NotFound();
        Flash(outcome is Outcome<PipelineDto>.Ok ? "Default pipeline changed." : "The pipeline could not be changed.",
            outcome is Outcome<PipelineDto>.Ok ? FlashKind.Success : FlashKind.Error);
        return LocalRedirect("/settings/pipelines");
    }
}
