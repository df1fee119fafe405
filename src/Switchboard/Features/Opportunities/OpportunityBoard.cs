namespace Switchboard.Features.Opportunities;

/// <summary>The kanban: a pipeline's stages with the opportunities the caller may see, and per-stage totals.</summary>
[Scoped]
public sealed class OpportunityBoard(PipelineService pipelines, OpportunityService opportunities, CrmReferences references)
{
    public async Task<Outcome<BoardDto>> LoadAsync(Guid? pipelineId, CancellationToken ct)
    {
        var all = await pipelines.ListAsync(ct);
        var pipeline = pipelineId is { } id ? all.SingleOrDefault(p => p.Id == id) : all.Single(p => p.IsDefault);
        if (pipeline is null) return new Outcome<BoardDto>.NotFound();

        var items = await opportunities.Visible().AsNoTracking().Where(o => o.PipelineId == pipeline.Id)
            .OrderByDescending(o => o.Amount).ThenBy(o => o.Name).ThenBy(o => o.Id).ToListAsync(ct);
        var accounts = await references.AccountNamesAsync(items.Where(o => o.AccountId is not null).Select(o => o.AccountId!.Value).Distinct().ToList(), ct);
        var stages = pipeline.Stages.Select(stage =>
        {
            var cards = items.Where(o => o.StageId == stage.Id).ToList();
            return new BoardStage(
                stage.Id, stage.Name, stage.Kind, stage.Probability, cards.Count,
                cards.Sum(o => o.Amount ?? 0),
                decimal.Round(cards.Sum(o => (o.Amount ?? 0) * o.Probability / 100m), 2),
                cards.Select(o => new BoardCard(o.Id, o.Name, o.AccountId, o.AccountId is { } a ? accounts.GetValueOrDefault(a) : null,
                    o.Amount, o.Currency, o.Probability, o.OwnerId, o.Version)).ToList());
        }).ToList();
        return new BoardDto(pipeline.Id, pipeline.Name, all.Select(p => new PipelineSummary(p.Id, p.Name, p.IsDefault)).ToList(), stages);
    }
}
