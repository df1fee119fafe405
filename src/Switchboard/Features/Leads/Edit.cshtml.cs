using Microsoft.AspNetCore.Mvc;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Leads;
using Switchboard.Ui;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Records;

namespace Switchboard.Features.Leads;

public sealed class EditModel(LeadService leads, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields) : LeadFormPage(ctx, db, customFields)
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    public string LeadName { get; private set; } = "";

    public override string SubmitLabel => "Save changes";
    public override string CancelUrl => $"/leads/{Id}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var lead = await leads.FindAsync(Id, ct);
        if (lead is null) return NotFound();
        if (!RecordPermissions.CanEdit(Ctx, lead.OwnerId)) return Forbid();
        Form = LeadForm.From(lead);
        LeadName = Display.FullName(lead.FirstName, lead.LastName);
        await LoadOwnersAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var lead = await leads.FindAsync(Id, ct);
        if (lead is null) return NotFound();
        if (!RecordPermissions.CanEdit(Ctx, lead.OwnerId)) return Forbid();
        LeadName = Display.FullName(lead.FirstName, lead.LastName);
        // A form posted without a version would silently overwrite newer changes; treat it as stale.
        Form.Version ??= 0;
        var outcome = await leads.UpdateAsync(Id, await PostedJsonAsync(includeVersion: true, ct), null, ct);
        return await ResultAsync(outcome, "Changes saved.", ct);
    }
}
