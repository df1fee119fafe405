using Switchboard.Features.Accounts;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Leads;
using Switchboard.Features.Opportunities;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;

namespace Switchboard.Features.Lists;

/// <summary>The entities with lists, and a check of filters, columns and sort for any of them (saved views).</summary>
public sealed class ListCatalogues(CustomFieldValidator customFields, SwitchboardDbContext db, TenantContext ctx)
{
    public static readonly IReadOnlyList<string> Entities =
        [CustomFieldEntities.Lead, CustomFieldEntities.Account, CustomFieldEntities.Contact, CustomFieldEntities.Opportunity];

    /// <summary>Adds to <paramref name="errors"/> what the entity's list would refuse in these criteria and sort.</summary>
    public async Task CheckAsync(string entity, ListCriteria criteria, string? sort, ValidationErrors errors, CancellationToken ct)
    {
        var context = ListContexts.For(ctx);
        var custom = await customFields.ForEntityAsync(entity, ct);
        switch (entity)
        {
            case CustomFieldEntities.Lead:
                Check(LeadList.Catalogue(custom), criteria, sort, context, errors);
                break;
            case CustomFieldEntities.Account:
                Check(AccountList.Catalogue(custom), criteria, sort, context, errors);
                break;
            case CustomFieldEntities.Contact:
                Check(ContactList.Catalogue(custom), criteria, sort, context, errors);
                break;
            default:
                Check(OpportunityList.Catalogue(custom, db.Set<PipelineStage>()), criteria, sort, context, errors);
                break;
        }
    }

    private static void Check<TEntity, TDto>(ListCatalogue<TEntity, TDto> catalogue, ListCriteria criteria, string? sort, ListContext context, ValidationErrors errors)
    {
        catalogue.Check(criteria, context, errors);
        if (sort is not null) catalogue.CheckSort(sort, errors);
    }
}
