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
    public static readonly IReadOnlyList<StageWrite> StarterStages =
    [
        Stage("Qualification", 10, StageKinds.Open), Stage("Proposal", 50, StageKinds.Open),
        Stage("Won", 100, StageKinds.Won), Stage("Lost", 0, StageKinds.Lost),
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

    public static PipelineWrite Body(IReadOnlyList<StageRow> kept, int? version)
    {
        var stages = kept.Select(r => new StageWrite
        {
            Id = r.Id is { } id ? Optional.Of<Guid?>(id) : default,
            Name = Optional.Text(r.Name),
            // Blank is not sent (won and lost stages default it); text that is not a number is named in the service's message.
            Probability = FieldReaders.FormInt(r.Probability),
            Kind = Optional.Text(string.IsNullOrWhiteSpace(r.Kind) ? StageKinds.Open : r.Kind),
        }).ToList();
        return new PipelineWrite { Stages = Optional.Of<IReadOnlyList<StageWrite>?>(stages), Version = Optional.Of(version) };
    }

    private static StageWrite Stage(string name, int probability, string kind) => new()
    {
        Name = Optional.Of<string?>(name), Probability = Optional.Of<int?>(probability), Kind = Optional.Of<string?>(kind),
    };
}
