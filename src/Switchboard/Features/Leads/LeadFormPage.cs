using Switchboard.Features.CustomFields;

namespace Switchboard.Features.Leads;

public abstract class LeadFormPage(LeadService leads, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields)
    : CrmFormPage<LeadForm, LeadWrite, LeadDto>(leads, ctx, db, customFields)
{
    protected override string Noun => "lead";
    protected override string ListPath => "/leads";
    protected override LeadForm FormOf(LeadDto record) => LeadForm.From(record);
    protected override string NameOf(LeadDto record) => Display.FullName(record.FirstName, record.LastName);
}

public sealed class NewModel(LeadService leads, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields)
    : LeadFormPage(leads, ctx, db, customFields)
{
    public override Guid? Id { get => null; set { } }
}

public sealed class EditModel(LeadService leads, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields)
    : LeadFormPage(leads, ctx, db, customFields)
{
    [BindProperty(SupportsGet = true)] public override Guid? Id { get; set; }
}
