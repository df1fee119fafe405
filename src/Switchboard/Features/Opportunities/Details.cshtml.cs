using System.Text.RegularExpressions;
using Switchboard.Features.Activities;
using Switchboard.Features.Modules;
using Switchboard.Ui.Timeline;

namespace Switchboard.Features.Opportunities;

// Wide on purpose: the opportunity page shows the record, its stages, product lines and timeline, each from its own service.
public sealed class DetailsModel(
    OpportunityService opportunities, OpportunityLines lines, PipelineService pipelines, TenantContext ctx, TimelineService timeline,
    ProductService products, ModuleSettings modules, CrmReferences references) : OpportunityFormPage(pipelines, references, ctx), IRecordTimelinePage
{
    private static readonly Regex LineErrorKey = new(@"^items\[(\d+)\]\.(\w+)$", RegexOptions.CultureInvariant);

    public OpportunityDto Opportunity { get; private set; } = null!;
    public LinesDto Lines { get; private set; } = null!;
    public bool CanEdit => RecordPermissions.CanEdit(Ctx, Opportunity.OwnerId);
    public string StageName => Pipelines.SelectMany(p => p.Stages).FirstOrDefault(s => s.Id == Opportunity.StageId)?.Name ?? "";
    public TimelineView? RecordTimeline { get; set; }
    public TenantSettings? Tenant => Ctx.Tenant;

    /// <summary>The names of the linked account and contact and of the owner, as stored (not as a refused form posted them).</summary>
    public string? AccountName { get; private set; }
    public string? ContactName { get; private set; }
    public string OwnerName { get; private set; } = "";

    /// <summary>The edit form's card title (the new page's form has none).</summary>
    public override string? FormTitle => "Edit";

    /// <summary>Active products in the opportunity's currency (others are refused by the service); empty while the products module is off.</summary>
    public IReadOnlyList<ProductDto> ProductChoices { get; private set; } = [];

    /// <summary>The product-line form as posted, put back when it was refused; its messages are in <see cref="LinesError"/> and the field errors.</summary>
    public ProductLineForm LineDraft { get; private set; } = new();
    public string? LinesError { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        FillForm();
        await LoadReferenceLabelsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        // A changed stage brings its own probability unless the user changed the probability too.
        if (Form.StageId != Opportunity.StageId && Form.Probability == Opportunity.Probability.ToString(CultureInfo.InvariantCulture)) Form.Probability = null;
        var outcome = await opportunities.UpdateAsync(id, PostedBody(includeVersion: true, amountEditable: !Opportunity.HasProducts), null, ct);
        return await DoneAsync(outcome, "Opportunity saved.", ct);
    }

    /// <summary>Adds, edits or deletes a note of the timeline card (_NoteForm).</summary>
    public Task<IActionResult> OnPostNoteAsync(Guid id, [FromServices] NoteService notes, [Bind(Prefix = "Note")] NoteForm note, CancellationToken ct) =>
        NoteFormHandler.HandleAsync(this, notes, note, "opportunity", id, () => OnGetAsync(id, ct), ct);

    /// <summary>Adds a task about the opportunity from its timeline card, as every record page does (Ui/Timeline/TaskFormHandler).</summary>
    public async Task<IActionResult> OnPostTaskAsync(Guid id, [FromServices] ActivityService activities, [Bind(Prefix = "Task")] TimelineTaskForm task, CancellationToken ct)
    {
        if (!await modules.IsEnabledAsync(ModuleNames.Activities, ct) || await opportunities.FindAsync(id, ct) is null) return NotFound();
        return await TaskFormHandler.HandleAsync(this, activities, task, "opportunity", id, Ctx, () => OnGetAsync(id, ct), ct);
    }

    public Task<IActionResult> OnPostAddLineAsync(Guid id, [Bind(Prefix = "Line")] ProductLineForm line, CancellationToken ct) =>
        ChangeLinesAsync(id, line, current => ProductLineChanges.Add(current, line), "Product added.", ct);

    public Task<IActionResult> OnPostLineQuantityAsync(Guid id, [Bind(Prefix = "Line")] ProductLineForm line, CancellationToken ct) =>
        ChangeLinesAsync(id, line, current => ProductLineChanges.ChangeQuantity(current, line.LineId ?? Guid.Empty, line.Quantity), "Quantity changed.", ct);

    public Task<IActionResult> OnPostRemoveLineAsync(Guid id, [Bind(Prefix = "Line")] ProductLineForm line, CancellationToken ct) =>
        ChangeLinesAsync(id, line, current => ProductLineChanges.Remove(current, line.LineId ?? Guid.Empty), "Product removed.", ct);

    /// <summary>
    /// One line change through <see cref="OpportunityLines.ReplaceAsync"/> (which sets the amount, ADR 0008), from the
    /// lines the page showed: a page older than the opportunity is refused instead of overwriting someone's change.
    /// </summary>
    private async Task<IActionResult> ChangeLinesAsync(Guid id, ProductLineForm line, Func<LinesDto, LinesWrite> change, string flash, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanEdit) return Forbid();
        if (line.LineId is { } lineId && Lines.Items.All(l => l.Id != lineId))
            LinesError = "That product line is no longer on the opportunity.";
        else if (line.Version != Opportunity.Version)
            LinesError = "The opportunity changed since this page was opened; its current products are shown. Try again.";
        else
        {
            switch (await lines.ReplaceAsync(id, change(Lines), ct))
            {
                case Outcome<LinesDto>.Ok:
                    Flash(flash);
                    return LocalRedirect($"/opportunities/{id}#products");
                case Outcome<LinesDto>.NotFound:
                    return NotFound();
                case Outcome<LinesDto>.Forbidden:
                    return Forbid();
                case Outcome<LinesDto>.Invalid invalid:
                    ShowLineErrors(invalid.Errors, line);
                    break;
                case Outcome<LinesDto>.Conflict conflict:
                    LinesError = conflict.Message;
                    break;
            }
        }
        LineDraft = line;
        FillForm();
        await LoadReferenceLabelsAsync(ct);
        return Page();
    }

    /// <summary>Errors of the added line go next to its inputs; those of existing lines are named by product above the table.</summary>
    private void ShowLineErrors(IDictionary<string, string[]> errors, ProductLineForm line)
    {
        var addedIndex = line.LineId is null ? Lines.Items.Count : -1;
        var general = new List<string>();
        foreach (var (key, messages) in errors)
        {
            var match = LineErrorKey.Match(key);
            if (match.Success && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var index)
            {
                if (index == addedIndex) foreach (var message in messages) AddError("line" + char.ToUpperInvariant(match.Groups[2].Value[0]) + match.Groups[2].Value[1..], message);
                else general.AddRange(messages.Select(m => index < Lines.Items.Count ? $"{Lines.Items[index].ProductName}: {m}" : m));
            }
            else general.AddRange(messages);
        }
        if (general.Count > 0) LinesError = string.Join(" ", general);
    }

    private void FillForm() => Form = new OpportunityForm
    {
        Name = Opportunity.Name, AccountId = Opportunity.AccountId, ContactId = Opportunity.ContactId, Amount = Opportunity.Amount?.ToString(CultureInfo.InvariantCulture), Currency = Opportunity.Currency,
        StageId = Opportunity.StageId, Probability = Opportunity.Probability.ToString(CultureInfo.InvariantCulture),
        ExpectedClose = Opportunity.ExpectedClose?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), LostReason = Opportunity.LostReason,
        Version = Opportunity.Version,
    };

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await opportunities.FindAsync(id, ct) is not { } opportunity) return false;
        Opportunity = opportunity;
        Lines = (await lines.GetAsync(id, ct))!;
        (AccountName, ContactName) = await References.NamesAsync(opportunity.AccountId, opportunity.ContactId, ct);
        OwnerName = await References.OwnerNameAsync(opportunity.OwnerId, ct);
        await LoadPipelinesAsync(ct);
        RecordTimeline = await TimelineView.BuildAsync(timeline, Ctx, "opportunity", id, TimelineView.PageFrom(Request), ct) is { } view
            ? view with { CanAddTasks = ActivityPermissions.CanWrite(Ctx) }
            : null;
        if (CanEdit && await modules.IsEnabledAsync(ModuleNames.Products, ct)
            && await products.ListAsync(new ProductQuery(null, true, 1, PageRequest.MaxPageSize), ct) is Outcome<PagedList<ProductDto>>.Ok list)
            ProductChoices = list.Value.Items.Where(p => p.Currency == opportunity.Currency).ToList();
        return true;
    }
}
