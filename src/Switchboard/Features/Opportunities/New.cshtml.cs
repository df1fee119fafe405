namespace Switchboard.Features.Opportunities;

public sealed class NewModel(OpportunityService opportunities, PipelineService pipelines, CrmReferences references, TenantContext ctx)
    : OpportunityFormPage(pipelines, references, ctx)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!RecordPermissions.CanCreate(Ctx)) return Forbid();
        await LoadPipelinesAsync(ct);
        Form.Currency = Ctx.Tenant?.Currency;
        Form.StageId = Pipelines.Single(p => p.IsDefault).Stages.First(s => s.Kind == StageKinds.Open).Id;
        await LoadReferenceLabelsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!RecordPermissions.CanCreate(Ctx)) return Forbid();
        await LoadPipelinesAsync(ct);
        return await DoneAsync(await opportunities.CreateAsync(PostedBody(includeVersion: false, amountEditable: true), ct), "Opportunity created.", ct);
    }
}
