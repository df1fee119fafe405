using Switchboard.Features.CustomFields;
using Switchboard.Features.Accounts;
using Switchboard.Features.Leads;

namespace Switchboard.Ui.Forms;

/// <summary>A posted record form: its own fields become the request body its service takes (the page adds owner, version, custom).</summary>
public interface ICrmForm<out TWrite> where TWrite : OwnedRecordWrite
{
    Guid? OwnerId { get; set; }
    int? Version { get; set; }

    /// <summary>Posted custom field inputs by key; read from the form by <see cref="CrmFormPage{TForm, TWrite, TDto}"/>, not model-bound.</summary>
    Dictionary<string, string[]> Custom { get; set; }

    /// <summary>The record's own fields as its API request body: every field the form shows, as posted.</summary>
    TWrite Body();
}

/// <summary>
/// The new and edit pages of every owned record (leads, accounts, contacts): the posted form with its custom fields,
/// owner choices, the role checks, and mapping a service outcome to the page. A derived page says which record it
/// edits (<see cref="Id"/> null for new).
/// </summary>
public abstract class CrmFormPage<TForm, TWrite, TDto>(
    IOwnedRecordStore<TDto, TWrite> store, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields)
    : AppPageModel
    where TForm : ICrmForm<TWrite>, new()
    where TWrite : OwnedRecordWrite
    where TDto : class, IVersionedDto
{
    [BindProperty] public TForm Form { get; set; } = new();

    public IReadOnlyList<OwnerOption> Owners { get; private set; } = [];
    public CustomFieldSet CustomFields { get; private set; } = new("", []);
    public CustomFieldForm CustomInputs => new(CustomFields, Form.Custom, ErrorFor);
    public bool CanAssign => RecordPermissions.CanAssign(ctx);
    public bool IsNew => Id is null;
    public abstract Guid? Id { get; set; }

    /// <summary>The edited record's name, for the title and the back link.</summary>
    public string RecordName { get; private set; } = "";
    public string SubmitLabel => IsNew ? $"Create {Noun}" : "Save changes";
    public string CancelUrl => IsNew ? ListPath : $"{ListPath}/{Id}";

    /// <summary>The record's noun, which is also its custom-field entity ("lead", "account", "contact").</summary>
    protected abstract string Noun { get; }
    protected abstract string ListPath { get; }
    protected abstract TForm FormOf(TDto record);
    protected abstract string NameOf(TDto record);
    protected TenantContext Ctx => ctx;

    /// <summary>Loads what the form's selects offer; derived pages add their own choices.</summary>
    protected virtual async Task LoadChoicesAsync(CancellationToken ct)
    {
        if (CanAssign) Owners = await LeadOwners.ListAsync(db, ct);
        CustomFields = await customFields.ForEntityAsync(Noun, ct);
    }

    /// <summary>Only what this user may change: the owner only for roles that assign, the version only on edit.</summary>
    private async Task<TWrite> PostedBodyAsync(bool includeVersion, CancellationToken ct)
    {
        CustomFields = await customFields.ForEntityAsync(Noun, ct);
        Form.Custom = CustomFieldForm.FromRequest(Request.Form);
        return (TWrite)Form.Body().WithShared(
            CanAssign ? Optional.Of(Form.OwnerId) : default,
            includeVersion ? Optional.Of(Form.Version) : default,
            CustomFields.Active.Any() ? Optional.Of<JsonElement?>(JsonSerializer.SerializeToElement(CustomFieldForm.ToJson(CustomFields, Form.Custom))) : default);
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is not { } id)
        {
            if (!RecordPermissions.CanCreate(ctx)) return Forbid();
            await LoadChoicesAsync(ct);
            if (CanAssign) Form.OwnerId = ctx.UserId;
            return Page();
        }
        if (await store.FindAsync(id, ct) is not { } record) return NotFound();
        if (!RecordPermissions.CanEdit(ctx, record.OwnerId)) return Forbid();
        Form = FormOf(record);
        RecordName = NameOf(record);
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Outcome<TDto> outcome;
        if (Id is not { } id)
        {
            if (!RecordPermissions.CanCreate(ctx)) return Forbid();
            outcome = await store.CreateAsync(await PostedBodyAsync(includeVersion: false, ct), ct);
        }
        else
        {
            if (await store.FindAsync(id, ct) is not { } record) return NotFound();
            if (!RecordPermissions.CanEdit(ctx, record.OwnerId)) return Forbid();
            RecordName = NameOf(record);
            // A form posted without a version would silently overwrite newer changes; treat it as stale.
            Form.Version ??= 0;
            outcome = await store.UpdateAsync(id, await PostedBodyAsync(includeVersion: true, ct), null, ct);
        }

        if (outcome is Outcome<TDto>.Ok ok)
        {
            Flash(IsNew ? $"{Display.Label(Noun)} created." : "Changes saved.");
            return LocalRedirect($"{ListPath}/{ok.Value.Id}");
        }
        if (!ShowProblem(outcome)) return NotFound();
        await LoadChoicesAsync(ct);
        return Page();
    }

    /// <summary>The owner select's model, or null when this role cannot assign.</summary>
    public OwnerSelect? OwnerSelect(Guid? current) => CanAssign ? new OwnerSelect(Owners, current, ErrorFor("ownerId")) : null;
}

public sealed record OwnerSelect(IReadOnlyList<OwnerOption> Owners, Guid? Current, string? Error);
