using Microsoft.AspNetCore.Mvc;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Leads;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Records;

namespace Switchboard.Features.Leads;

public sealed class NewModel(LeadService leads, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields) : LeadFormPage(ctx, db, customFields)
{
    public override string SubmitLabel => "Create lead";
    public override string CancelUrl => "/leads";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!RecordPermissions.CanCreate(Ctx)) return Forbid();
        await LoadOwnersAsync(ct);
        if (CanAssign) Form.OwnerId = Ctx.UserId;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!RecordPermissions.CanCreate(Ctx)) return Forbid();
        var outcome = await leads.CreateAsync(await PostedJsonAsync(includeVersion: false, ct), ct);
        return await ResultAsync(outcome, "Lead created.", ct);
    }
}
