using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Opportunities;

/// <summary>One row of a pipeline's stage editor as posted: an existing stage (Id) or a new one, or one to remove.</summary>
public sealed class StageRow
{
    public Guid? Id { get; set; }
    public string? Name { get; set; }
    public string? Probability { get; set; }
    public string? Kind { get; set; }
    public bool Remove { get; set; }

    public static StageRow Of(StageDto stage) =>
        new() { Id = stage.Id, Name = stage.Name, Probability = stage.Probability.ToString(System.Globalization.CultureInfo.InvariantCulture), Kind = stage.Kind };

    /// <summary>The blank "add a stage" row; left empty it adds nothing.</summary>
    public bool IsBlankNew => Id is null && string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Probability);
}

/// <summary>
/// A form on the pipelines page that was refused, to render again with what was typed: which pipeline (null for the
/// create form), which form, the posted stage rows, and the service's messages per row.
/// </summary>
public sealed record PipelineEdit(Guid? PipelineId, string Form, string? Name, IReadOnlyList<StageRow> Stages)
{
    public const string Create = "create";
    public const string Rename = "rename";
    public const string StagesForm = "stages";
}

/// <summary>The posted stage editor as the service's "stages" array: removed and blank rows left out, order as posted.</summary>
public static class StageEditor
{
    /// <summary>The starting stages of a pipeline created on the page; the admin renames and extends them.</summary>
    public static readonly object[] StarterStages =
    [
        new { name = "Qualification", probability = 10, kind = StageKinds.Open },
        new { name = "Proposal", probability = 50, kind = StageKinds.Open },
        new { name = "Won", probability = 100, kind = StageKinds.Won },
        new { name = "Lost", probability = 0, kind = StageKinds.Lost },
    ];

    /// <summary>The rows that go to the service, in order; their index is the service's stages[i].</summary>
    public static List<StageRow> Kept(IEnumerable<StageRow> rows) => rows.Where(r => !r.Remove && !r.IsBlankNew).ToList();

    /// <summary>Moves a row one place up or down: "3:up", "0:down". Anything else leaves the order alone.</summary>
    public static List<StageRow> Move(List<StageRow> rows, string? move)
    {
        var parts = move?.Split(':');
        if (parts is not [var at, var direction] || !int.TryParse(at, out var index) || index < 0 || index >= rows.Count) return rows;
        var target = direction == "up" ? index - 1 : direction == "down" ? index + 1 : -1;
        if (target < 0 || target >= rows.Count) return rows;
        (rows[index], rows[target]) = (rows[target], rows[index]);
        return rows;
    }

    public static JsonElement Body(IReadOnlyList<StageRow> kept, int? version)
    {
        var stages = kept.Select(r =>
        {
            var stage = new Dictionary<string, object?> { ["name"] = r.Name, ["kind"] = string.IsNullOrWhiteSpace(r.Kind) ? StageKinds.Open : r.Kind };
            if (r.Id is { } id) stage["id"] = id;
            // Not a number: sent as typed, so the service names the field in its message.
            if (!string.IsNullOrWhiteSpace(r.Probability)) stage["probability"] = int.TryParse(r.Probability, out var p) ? p : r.Probability;
            return stage;
        }).ToList();
        return JsonSerializer.SerializeToElement(new Dictionary<string, object?> { ["stages"] = stages, ["version"] = version });
    }
}
