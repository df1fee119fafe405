using Switchboard.Features.Modules;
using System.Globalization;
using Switchboard.Features.Opportunities;
using Switchboard.Ui;

namespace Switchboard.Features.Opportunities;

/// <summary>The fields of the new and edit forms, posted as text and turned into the API's JSON body.</summary>
public sealed class OpportunityForm
{
    public string? Name { get; set; }
    public string? Amount { get; set; }
    public string? Currency { get; set; }
    public Guid? StageId { get; set; }
    public string? Probability { get; set; }
    public string? ExpectedClose { get; set; }
    public string? LostReason { get; set; }
    public int? Version { get; set; }
}

/// <summary>What the new and details pages share: the stage choices and the form-to-JSON mapping.</summary>
[RequireModule(ModuleNames.Opportunities)]
public abstract class OpportunityFormPage(PipelineService pipelines, TenantContext ctx) : AppPageModel
{
    [BindProperty] public OpportunityForm Form { get; set; } = new();
    public IReadOnlyList<PipelineDto> Pipelines { get; private set; } = [];
    protected TenantContext Ctx => ctx;

    protected async Task LoadPipelinesAsync(CancellationToken ct) => Pipelines = await pipelines.ListAsync(ct);

    /// <summary>The posted form as the API body. Numbers that do not parse are sent as text so the service names the field.</summary>
    protected JsonElement PostedJson(bool includeVersion, bool amountEditable)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = Form.Name,
            ["currency"] = string.IsNullOrWhiteSpace(Form.Currency) ? ctx.Tenant?.Currency ?? "USD" : Form.Currency.Trim(),
            ["stageId"] = Form.StageId,
            ["expectedClose"] = Form.ExpectedClose,
            ["lostReason"] = Form.LostReason,
        };
        if (amountEditable) body["amount"] = Number(Form.Amount);
        if (!string.IsNullOrWhiteSpace(Form.Probability)) body["probability"] = int.TryParse(Form.Probability, out var p) ? p : Form.Probability;
        if (includeVersion) body["version"] = Form.Version;
        return JsonSerializer.SerializeToElement(body);
    }

    private static object? Number(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : decimal.TryParse(text.Replace(",", ""), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : text;

    protected IActionResult Done(Outcome<OpportunityDto> outcome, string flash)
    {
        if (outcome is Outcome<OpportunityDto>.Ok { Value: var saved })
        {
            Flash(flash);
            return LocalRedirect($"/opportunities/{saved.Id}");
        }
        if (outcome is Outcome<OpportunityDto>.NotFound) return NotFound();
        ShowProblem(outcome);
        return Page();
    }
}
