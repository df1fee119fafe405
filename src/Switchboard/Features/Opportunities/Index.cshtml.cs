using Switchboard.Features.Modules;
using Switchboard.Features.Dialer;

namespace Switchboard.Features.Opportunities;

/// <summary>The kanban board: one column per stage; dragging a card posts a stage move (antiforgery) to OnPostMove.</summary>
[RequireModule(ModuleNames.Opportunities)]
public sealed class IndexModel(OpportunityBoard board, OpportunityService opportunities, TenantContext ctx) : AppPageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Pipeline { get; set; }

    public BoardDto Board { get; private set; } = null!;
    public bool CanCreate => RecordPermissions.CanCreate(ctx);
    public bool CanMove => ctx.Role is not (TenantRole.Readonly or null);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null) return ctx.IsSuperadmin ? LocalRedirect("/tenants") : Forbid();
        var outcome = await board.LoadAsync(Pipeline, ct);
        if (outcome is not Outcome<BoardDto>.Ok ok) return NotFound();
        Board = ok.Value;
        return Page();
    }

    /// <summary>Moves a card; answers JSON: the card's new version and every stage's totals, or a message to show.</summary>
    public async Task<IActionResult> OnPostMoveAsync([FromForm] Guid id, [FromForm] Guid stageId, [FromForm] int version, [FromForm] string? lostReason, CancellationToken ct)
    {
        if (ctx.TenantId is null) return Forbid();
        var patch = new OpportunityWrite
        {
            StageId = Optional.Of<Guid?>(stageId), Version = Optional.Of<int?>(version), LostReason = Optional.Text(lostReason),
        };
        var outcome = await opportunities.UpdateAsync(id, patch, null, ct);
        switch (outcome)
        {
            case Outcome<OpportunityDto>.Ok { Value: var moved }:
                var updated = await board.LoadAsync(moved.PipelineId, ct) is Outcome<BoardDto>.Ok b ? b.Value : null;
                return new JsonResult(new
                {
                    moved.Version, moved.Probability,
                    Stages = updated?.Stages.Select(s => new { s.Id, Totals = Totals(s) }) ?? [],
                });
            case Outcome<OpportunityDto>.Invalid invalid:
                return new JsonResult(new { Message = invalid.Summary }) { StatusCode = 400 };
            case Outcome<OpportunityDto>.Conflict conflict:
                return new JsonResult(new { conflict.Message }) { StatusCode = 409 };
            case Outcome<OpportunityDto>.Forbidden forbidden:
                return new JsonResult(new { forbidden.Message }) { StatusCode = 403 };
            default:
                return new JsonResult(new { Message = "The opportunity was not found. Reload the board." }) { StatusCode = 404 };
        }
    }

    public string Money(decimal? amount) => amount is { } a ? a.ToString("N0", CultureInfo.InvariantCulture) : "—";

    /// <summary>The stage header's totals line; kanban.js writes the same text after a move.</summary>
    public string Totals(BoardStage stage) =>
        $"{stage.Count} · {Money(stage.Amount)} · weighted {Money(stage.WeightedAmount)}";
}
