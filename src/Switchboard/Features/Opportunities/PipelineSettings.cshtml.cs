using Switchboard.Features.Modules;
using System.Text.RegularExpressions;

namespace Switchboard.Features.Opportunities;

/// <summary>
/// The tenant's pipelines and stages (administrators, as PipelineService allows): create and rename pipelines, edit,
/// add, remove and reorder stages, pick the default. Every change goes through PipelineService; its messages show
/// next to the form that was refused. Works without JavaScript; settings.js reorders stage rows in place.
/// </summary>
[RequireModule(ModuleNames.Opportunities)]
public sealed partial class PipelinesModel(PipelineService pipelines, TenantContext ctx) : AppPageModel
{
    public IReadOnlyList<PipelineDto> Pipelines { get; private set; } = [];

    /// <summary>The refused form, rendered again with what was typed; null after a GET.</summary>
    public PipelineEdit? Editing { get; private set; }

    /// <summary>Messages for rows of the refused stage editor.</summary>
    public Dictionary<StageRow, string> StageErrors { get; } = new(ReferenceEqualityComparer.Instance);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        Pipelines = await pipelines.ListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(string? name, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var outcome = await pipelines.CreateAsync(new PipelineWrite { Name = Optional.Text(name), Stages = Optional.Of<IReadOnlyList<StageWrite>?>(StageEditor.StarterStages) }, ct);
        return await DoneAsync(outcome, "Pipeline created. Rename its stages and add your own below.", new PipelineEdit(null, PipelineEdit.Create, name, []), [], ct);
    }

    public async Task<IActionResult> OnPostRenameAsync(Guid id, string? name, int? version, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var outcome = await pipelines.UpdateAsync(id, new PipelineWrite { Name = Optional.Text(name), Version = Optional.Of(version) }, null, ct);
        return await DoneAsync(outcome, "Pipeline renamed.", new PipelineEdit(id, PipelineEdit.Rename, name, []), [], ct);
    }

    /// <summary>Saves the whole stage list as posted; a "move" button (without JavaScript) also moves one row first.</summary>
    public async Task<IActionResult> OnPostStagesAsync(Guid id, int? version, [Bind(Prefix = "Stages")] List<StageRow>? stages, string? move, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var rows = StageEditor.Move(stages ?? [], move);
        var kept = StageEditor.Kept(rows);
        var outcome = await pipelines.UpdateAsync(id, StageEditor.Body(kept, version), null, ct);
        return await DoneAsync(outcome, move is null ? "Stages saved." : "Stage moved.", new PipelineEdit(id, PipelineEdit.StagesForm, null, rows), kept, ct);
    }

    public async Task<IActionResult> OnPostDefaultAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var outcome = await pipelines.UpdateAsync(id, new PipelineWrite { IsDefault = Optional.Of<bool?>(true) }, null, ct);
        if (outcome is Outcome<PipelineDto>.NotFound) return NotFound();
        Flash(outcome is Outcome<PipelineDto>.Ok ? "Default pipeline changed." : "The pipeline could not be changed.",
            outcome is Outcome<PipelineDto>.Ok ? FlashKind.Success : FlashKind.Error);
        return LocalRedirect("/settings/pipelines");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        return FlashAndRedirect(await pipelines.DeleteAsync(id, ct), _ => "Pipeline deleted.", "/settings/pipelines");
    }

    public bool IsEditing(Guid? pipelineId, string form) => Editing is { } e && e.PipelineId == pipelineId && e.Form == form;

    /// <summary>The rows the stage editor of a pipeline shows: what was posted when it was refused, else the saved stages.</summary>
    public IReadOnlyList<StageRow> RowsFor(PipelineDto pipeline) =>
        IsEditing(pipeline.Id, PipelineEdit.StagesForm) ? Editing!.Stages : pipeline.Stages.Select(StageRow.Of).ToList();

    public string? ErrorOf(StageRow row) => StageErrors.GetValueOrDefault(row);

    private async Task<IActionResult> DoneAsync(Outcome<PipelineDto> outcome, string flash, PipelineEdit edit, List<StageRow> kept, CancellationToken ct)
    {
        switch (outcome)
        {
            case Outcome<PipelineDto>.Ok ok:
                Flash(flash);
                return LocalRedirect($"/settings/pipelines#pipeline-{ok.Value.Id}");
            case Outcome<PipelineDto>.NotFound:
                return NotFound();
            case Outcome<PipelineDto>.Forbidden:
                return Forbid();
            case Outcome<PipelineDto>.Invalid invalid:
                ShowErrors(RowErrors(invalid.Errors, kept));
                break;
            default:
                ShowProblem(outcome);
                break;
        }
        Editing = edit;
        if (edit.Form == PipelineEdit.StagesForm && edit.Stages.Count > 0 && !edit.Stages[^1].IsBlankNew)
            Editing = edit with { Stages = [.. edit.Stages, new StageRow()] };
        Pipelines = await pipelines.ListAsync(ct);
        return Page();
    }

    /// <summary>Moves "stages[i].field" messages onto the posted row i; the rest stay as field errors (name, stages).</summary>
    private Dictionary<string, string[]> RowErrors(IDictionary<string, string[]> errors, List<StageRow> kept)
    {
        var rest = new Dictionary<string, string[]>();
        foreach (var (key, messages) in errors)
        {
            var match = StageErrorKey().Match(key);
            if (match.Success && int.Parse(match.Groups[1].Value) is var index && index < kept.Count)
                StageErrors[kept[index]] = string.Join(" ", new[] { StageErrors.GetValueOrDefault(kept[index]) }.Concat(messages).Where(m => m is not null));
            else rest[key] = messages;
        }
        if (rest.Count == 0 && StageErrors.Count > 0) rest["stages"] = ["Please correct the highlighted stages."];
        return rest;
    }

    private bool CanManage() => ctx.TenantId is not null && OpportunityPermissions.CanManagePipelines(ctx);

    [GeneratedRegex(@"^stages\[(\d+)\]\.\w+$", RegexOptions.CultureInvariant)]
    private static partial Regex StageErrorKey();
}
