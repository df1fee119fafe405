using Microsoft.EntityFrameworkCore.ChangeTracking;
using Switchboard.Features.Webhooks;

namespace Switchboard.Features.Opportunities;

/// <summary>
/// opportunity.created/updated/deleted, and opportunity.stage_changed when the stage moved, with the opportunity as the
/// API returns it. Its stage kind and product-line flag come from two small reads (the API reads them the same way).
/// </summary>
internal sealed class OpportunityWebhookEvents() : WebhookEventSource<Opportunity>("opportunity")
{
    protected override object Data(Opportunity entity, DbContext db)
    {
        var kind = db.Set<PipelineStage>().Local.FirstOrDefault(s => s.Id == entity.StageId)?.Kind
            ?? db.Set<PipelineStage>().Where(s => s.Id == entity.StageId).Select(s => s.Kind).FirstOrDefault()
            ?? StageKinds.Open;
        var hasLines = db.Set<OpportunityProduct>().Local.Any(l => l.OpportunityId == entity.Id)
            || db.Set<OpportunityProduct>().Any(l => l.OpportunityId == entity.Id);
        return OpportunityService.ToDto(entity, new Dictionary<Guid, string> { [entity.StageId] = kind }, hasLines);
    }

    protected override IEnumerable<WebhookEventDraft> Extra(EntityEntry<Opportunity> entry, Func<object> data, Func<object> previous)
    {
        if (entry.State == EntityState.Modified && entry.Property(o => o.StageId) is { IsModified: true } stage && stage.OriginalValue != stage.CurrentValue)
            yield return new WebhookEventDraft("opportunity.stage_changed", data(), previous(), ["stageId"]);
    }
}
