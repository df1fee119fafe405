using Switchboard.Features.CustomFields;
using Switchboard.Features.Imports;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Leads;

/// <summary>Leads: services, their list (saved views, export) and import target, and the /api/v1/leads endpoints (LeadsApi).</summary>
public static class LeadsComposition
{
    public static IServiceCollection AddLeads(this IServiceCollection services)
    {
        services.AddEntityList<Lead, LeadDto>(CustomFieldEntities.Lead, LeadList.Catalogue);
        services.AddImportTarget(LeadImport.Target);
        return services;
    }
}
