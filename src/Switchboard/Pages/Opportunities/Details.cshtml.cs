using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Features.Opportunities;
using Switchboard.Platform.Tenancy;

namespace Switchboard.Pages.Opportunities;

public sealed class DetailsModel(OpportunityService opportunities, OpportunityLines lines, PipelineService pipelines, TenantContext ctx) : OpportunityFormPage(pipelines, ctx)
{
    public OpportunityDto Opportunity { get; private set; } = null!;
    public LinesDto Lines { get; private set; } = null!;
    public bool CanEdit => OpportunityPermissions.CanEdit(Ctx, Opportunity.OwnerId);
    public string StageName => Pipelines.SelectMany(p => p.Stages).FirstOrDefault(s => s.Id == Opportunity.StageId)?.Name ?? "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Form = new OpportunityForm
        {
            Name = Opportunity.Name, Amount = Opportunity.Amount?.ToString(CultureInfo.InvariantCulture), Currency = Opportunity.Currency,
            StageId = Opportunity.StageId, Probability = Opportunity.Probability.ToString(CultureInfo.InvariantCulture),
            ExpectedClose = Opportunity.ExpectedClose?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), LostReason = Opportunity.LostReason,
            Version = Opportunity.Version,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        // A changed stage brings its own probability unless the user changed the probability too.
        if (Form.StageId != Opportunity.StageId && Form.Probability == Opportunity.Probability.ToString(CultureInfo.InvariantCulture)) Form.Probability = null;
        var outcome = await opportunities.UpdateAsync(id, PostedJson(includeVersion: true, amountEditable: !Opportunity.HasProducts), null, ct);
        return Done(outcome, "Opportunity saved.");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await opportunities.FindAsync(id, ct) is not { } opportunity) return false;
        Opportunity = opportunity;
        Lines = (await lines.GetAsync(id, ct))!;
        await LoadPipelinesAsync(ct);
        return true;
    }
}
