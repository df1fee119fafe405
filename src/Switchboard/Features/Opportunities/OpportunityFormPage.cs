using Switchboard.Features.Modules;

namespace Switchboard.Features.Opportunities;

/// <summary>The fields of the new and edit forms, posted as text and turned into the API's request body.</summary>
public sealed class OpportunityForm
{
    public string? Name { get; set; }
    public Guid? AccountId { get; set; }
    public Guid? ContactId { get; set; }
    public string? Amount { get; set; }
    public string? Currency { get; set; }
    public Guid? StageId { get; set; }
    public string? Probability { get; set; }
    public string? ExpectedClose { get; set; }
    public string? LostReason { get; set; }
    public int? Version { get; set; }
}

/// <summary>What the new and details pages share: the stage choices, the account and contact pickers and the form-to-body mapping.</summary>
[RequireModule(ModuleNames.Opportunities)]
public abstract class OpportunityFormPage(PipelineService pipelines, CrmReferences references, TenantContext ctx) : AppPageModel
{
    [BindProperty] public OpportunityForm Form { get; set; } = new();
    public IReadOnlyList<PipelineDto> Pipelines { get; private set; } = [];
    protected TenantContext Ctx => ctx;
    protected CrmReferences References => references;

    /// <summary>The names of the account and contact the form links, for their pickers.</summary>
    public string? AccountLabel { get; private set; }
    public string? ContactLabel { get; private set; }

    /// <summary>A title shown inside the form's card, or none.</summary>
    public virtual string? FormTitle => null;

    protected async Task LoadPipelinesAsync(CancellationToken ct) => Pipelines = await pipelines.ListAsync(ct);

    protected async Task LoadReferenceLabelsAsync(CancellationToken ct) =>
        (AccountLabel, ContactLabel) = await references.NamesAsync(Form.AccountId, Form.ContactId, ct);

    /// <summary>The posted form as the API body. Numbers that do not parse are errors the service names the field in.</summary>
    protected OpportunityWrite PostedBody(bool includeVersion, bool amountEditable) => new()
    {
        Name = Optional.Text(Form.Name),
        AccountId = Optional.Of(Form.AccountId),
        ContactId = Optional.Of(Form.ContactId),
        Currency = Optional.Text(string.IsNullOrWhiteSpace(Form.Currency) ? ctx.Tenant?.Currency ?? "USD" : Form.Currency),
        StageId = Optional.Of(Form.StageId),
        ExpectedClose = FieldReaders.FormDate(Form.ExpectedClose),
        LostReason = Optional.Text(Form.LostReason),
        // Thousands separators are allowed in the form ("12,500").
        Amount = amountEditable ? FieldReaders.FormDecimal(Form.Amount?.Replace(",", ""), NumberStyles.Number) : default,
        Probability = FieldReaders.FormInt(Form.Probability),
        Version = includeVersion ? Optional.Of(Form.Version) : default,
    };

    protected async Task<IActionResult> DoneAsync(Outcome<OpportunityDto> outcome, string flash, CancellationToken ct)
    {
        if (outcome is Outcome<OpportunityDto>.Ok { Value: var saved })
        {
            Flash(flash);
            return LocalRedirect($"/opportunities/{saved.Id}");
        }
        if (outcome is Outcome<OpportunityDto>.NotFound) return NotFound();
        ShowProblem(outcome);
        await LoadReferenceLabelsAsync(ct);
        return Page();
    }
}
