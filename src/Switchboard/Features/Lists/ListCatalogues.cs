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
        IReadOnlyList<string> sorts;
        switch (entity)
        {
            case CustomFieldEntities.Lead:
                LeadList.Catalogue(custom).Check(criteria, context, errors);
                sorts = [.. LeadSorts.All, .. custom.All.Select(f => CustomFieldQueries.Prefix + f.Key)];
                break;
            case CustomFieldEntities.Account:
                AccountList.Catalogue(custom).Check(criteria, context, errors);
                sorts = CrmSearch.Sorts;
                break;
            case CustomFieldEntities.Contact:
                ContactList.Catalogue(custom).Check(criteria, context, errors);
                sorts = CrmSearch.Sorts;
                break;
            default:
                OpportunityList.Catalogue(custom, db.Set<PipelineStage>()).Check(criteria, context, errors);
                sorts = OpportunitySorts.All;
                break;
        }
        if (sort is not null && !sorts.Contains(sort.TrimStart('-')))
            errors.Add("sort", $"'{sort}' is not a sortable field of this list. Use one of: {string.Join(", ", sorts)} (prefix '-' for descending).");
    }
}
