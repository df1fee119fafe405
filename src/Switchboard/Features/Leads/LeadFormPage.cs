using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Leads;
using Switchboard.Ui;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;
using Switchboard.Ui.Forms;
using Switchboard.Records;

namespace Switchboard.Features.Leads;

/// <summary>What the new and edit pages share: the posted form, owner choices, and mapping a service outcome to the page.</summary>
public abstract class LeadFormPage(TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields) : AppPageModel
{
    [BindProperty] public LeadForm Form { get; set; } = new();

    public IReadOnlyList<OwnerOption> Owners { get; private set; } = [];
    public CustomFieldSet CustomFields { get; private set; } = new(CustomFieldEntities.Lead, []);
    public CustomFieldForm CustomInputs => new(CustomFields, Form.Custom, ErrorFor);
    public bool CanAssign => RecordPermissions.CanAssign(ctx);
    public abstract string SubmitLabel { get; }
    public abstract string CancelUrl { get; }

    protected TenantContext Ctx => ctx;

    protected async Task LoadOwnersAsync(CancellationToken ct)
    {
        if (CanAssign) Owners = await LeadOwners.ListAsync(db, ct);
        CustomFields = await customFields.ForEntityAsync(CustomFieldEntities.Lead, ct);
    }

    /// <summary>The posted form as the lead service's JSON body, custom field inputs included.</summary>
    protected async Task<JsonElement> PostedJsonAsync(bool includeVersion, CancellationToken ct)
    {
        CustomFields = await customFields.ForEntityAsync(CustomFieldEntities.Lead, ct);
        Form.Custom = CustomFieldForm.FromRequest(Request.Form);
        return Form.ToJson(includeOwner: CanAssign, includeVersion: includeVersion, CustomFields);
    }

    /// <summary>Success goes to the lead; validation errors and conflicts stay on the form with the user's input.</summary>
    protected async Task<IActionResult> ResultAsync(Outcome<LeadDto> outcome, string successMessage, CancellationToken ct)
    {
        if (outcome is Outcome<LeadDto>.Ok ok)
        {
            Flash(successMessage);
            return LocalRedirect($"/leads/{ok.Value.Id}");
        }
        if (!ShowProblem(outcome)) return NotFound();
        await LoadOwnersAsync(ct);
        return Page();
    }
}
