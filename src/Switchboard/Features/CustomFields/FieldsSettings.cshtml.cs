using Switchboard.Features.Modules;

namespace Switchboard.Features.CustomFields;

public sealed class FieldForm
{
    public string? Key { get; set; }
    public string? Label { get; set; }
    public string? Type { get; set; } = CustomFieldTypes.Text;
    public bool Required { get; set; }
    /// <summary>One option per line.</summary>
    public string? Options { get; set; }
    public int? Position { get; set; }
    public int? Version { get; set; }
}

public sealed class ModulesForm
{
    public bool Opportunities { get; set; }
    public bool Products { get; set; }
    public bool Activities { get; set; }
}

/// <summary>Admins manage each entity's custom fields (add, edit, retire, restore) and switch optional modules.</summary>
public sealed class FieldsModel(CustomFieldService fields, ModuleSettings modules, TenantContext ctx) : AppPageModel
{
    [BindProperty(SupportsGet = true)] public string Entity { get; set; } = CustomFieldEntities.Lead;
    [BindProperty(SupportsGet = true)] public Guid? Edit { get; set; }
    [BindProperty] public FieldForm Form { get; set; } = new();
    [BindProperty] public ModulesForm Switches { get; set; } = new();

    public IReadOnlyList<CustomFieldDto> Fields { get; private set; } = [];
    public CustomFieldDto? Editing { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        if (!CustomFieldEntities.All.Contains(Entity)) return NotFound();
        if (Edit is { } id)
        {
            Editing = await fields.FindAsync(id, ct);
            if (Editing is null) return NotFound();
            Entity = Editing.Entity;
            Form = new FieldForm
            {
                Key = Editing.Key, Label = Editing.Label, Type = Editing.Type, Required = Editing.Required,
                Options = string.Join("\n", Editing.Options), Position = Editing.Position, Version = Editing.Version,
            };
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        if (!CustomFieldEntities.All.Contains(Entity)) return NotFound();
        var options = (Form.Options ?? "").Split('\n').Select(o => o.Trim()).Where(o => o.Length > 0).ToArray();
        Outcome<CustomFieldDto> outcome;
        if (Edit is { } id)
        {
            Editing = await fields.FindAsync(id, ct);
            if (Editing is null) return NotFound();
            Entity = Editing.Entity;
            outcome = await fields.UpdateAsync(id, new CustomFieldWrite
            {
                Label = Optional.Text(Form.Label), Required = Optional.Of<bool?>(Form.Required),
                Position = Optional.Of<int?>(Form.Position ?? Editing.Position),
                Options = Optional.Of<IReadOnlyList<string>?>(CustomFieldTypes.HasOptions(Editing.Type) ? options : []),
                Version = Optional.Of<int?>(Form.Version ?? 0),
            }, ct);
        }
        else
        {
            outcome = await fields.CreateAsync(new CustomFieldWrite
            {
                Entity = Optional.Of<string?>(Entity), Key = Optional.Text(Form.Key), Label = Optional.Text(Form.Label),
                Type = Optional.Text(Form.Type), Required = Optional.Of<bool?>(Form.Required),
                Options = Optional.Of<IReadOnlyList<string>?>(CustomFieldTypes.HasOptions(Form.Type ?? "") ? options : []),
                Position = Form.Position is { } position ? Optional.Of<int?>(position) : Optional<int?>.Unset,
            }, ct);
        }
        if (outcome is Outcome<CustomFieldDto>.Ok ok)
        {
            Flash(Edit is null ? $"Field “{ok.Value.Label}” added." : $"Field “{ok.Value.Label}” saved.");
            return LocalRedirect($"/settings/fields?entity={Entity}");
        }
        if (!ShowProblem(outcome)) return NotFound();
        FormError ??= "The field was not saved: check the highlighted inputs.";
        await LoadAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostRetireAsync(Guid id, CancellationToken ct) => SetActiveAsync(id, false, ct);

    public Task<IActionResult> OnPostRestoreAsync(Guid id, CancellationToken ct) => SetActiveAsync(id, true, ct);

    public async Task<IActionResult> OnPostModulesAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var outcome = await modules.UpdateAsync(new ModulesWrite
        {
            Opportunities = Optional.Of<bool?>(Switches.Opportunities), Products = Optional.Of<bool?>(Switches.Products),
            Activities = Optional.Of<bool?>(Switches.Activities),
        }, ct);
        if (outcome is not Outcome<ModulesDto>.Ok) return Forbid();
        Flash("Modules saved.");
        return LocalRedirect($"/settings/fields?entity={Entity}");
    }

    private async Task<IActionResult> SetActiveAsync(Guid id, bool active, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var outcome = await fields.UpdateAsync(id, new CustomFieldWrite { Active = Optional.Of<bool?>(active) }, ct);
        if (outcome is not Outcome<CustomFieldDto>.Ok ok) return outcome is Outcome<CustomFieldDto>.NotFound ? NotFound() : Forbid();
        Flash(active ? $"Field “{ok.Value.Label}” restored." : $"Field “{ok.Value.Label}” retired. Its stored values are kept.");
        return LocalRedirect($"/settings/fields?entity={ok.Value.Entity}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Fields = (await fields.ListAsync(Entity, ct)) is Outcome<IReadOnlyList<CustomFieldDto>>.Ok ok ? ok.Value : [];
        var current = await modules.GetAsync(ct);
        Switches = new ModulesForm { Opportunities = current.Opportunities, Products = current.Products, Activities = current.Activities };
    }

    private bool CanManage() => ctx.TenantId is not null && CustomFieldService.CanManage(ctx);
}
