using Switchboard.Features.Audit;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Leads;

/// <summary>One line of a history entry; <see cref="Old"/> is null when the field had no value before (or for event details).</summary>
public sealed record FieldChange(string Field, string? Old, string New);

/// <summary>An entry of the lead page's History card: who (by name), what they did, and the changes as the form shows them.</summary>
public sealed record HistoryItem(DateTimeOffset OccurredAt, string Actor, string Action, string Verb, IReadOnlyList<FieldChange> Changes);

/// <summary>
/// The lead's audit trail for people: fields by their form labels (the lead list's catalogue, custom fields included),
/// ids as names (one look-up per page), times in the tenant's zone; updates that changed nothing visible are left out.
/// </summary>
[Scoped]
public sealed class LeadHistory(AuditQueries audit, CustomFieldValidator customFields, SwitchboardDbContext db, TenantContext ctx)
{
    /// <summary>What a lead carries beyond its list's columns, as the page names it.</summary>
    private static readonly Dictionary<string, AuditField> Extra = new()
    {
        ["convertedAt"] = new("Converted", AuditValueKind.DateTime),
        ["convertedAccountId"] = new("Account", AuditValueKind.Record),
        ["convertedContactId"] = new("Contact", AuditValueKind.Record),
        ["convertedOpportunityId"] = new("Opportunity", AuditValueKind.Record),
        ["accountId"] = new("Account", AuditValueKind.Record),
        ["contactId"] = new("Contact", AuditValueKind.Record),
        ["opportunityId"] = new("Opportunity", AuditValueKind.Record),
        ["accountCreated"] = new("New account", AuditValueKind.Boolean),
        ["externalId"] = new("External id"),
    };

    public async Task<IReadOnlyList<HistoryItem>> ForAsync(Guid leadId, IReadOnlyList<OwnerOption> members, CancellationToken ct)
    {
        var outcome = await audit.ListAsync(new AuditQuery("lead", leadId.ToString(), null, 1, 100), ct);
        if (outcome is not Outcome<PagedList<AuditEntryDto>>.Ok ok) return [];
        var entries = ok.Value.Items;
        var names = await AuditNames.ForAsync(db, members, entries.SelectMany(e => AuditText.Ids(e.Changes)), ct);
        var format = new AuditFormat(ctx.Tenant, names, Fields(LeadList.Catalogue(await customFields.ForEntityAsync(CustomFieldEntities.Lead, ct))));
        return entries
            .Select(e => new HistoryItem(e.OccurredAt, format.Actor(e.ActorId, e.ActorName, e.ActorType), e.Action, Verb(e.Action),
                AuditActions.Created.Is(e.Action) || AuditActions.Deleted.Is(e.Action) ? []
                    : AuditText.Changes(e.Changes, format).Select(c => new FieldChange(c.Field, c.Old, c.New)).ToList()))
            .Where(item => !AuditActions.Updated.Is(item.Action) || item.Changes.Count > 0)
            .ToList();
    }

    private static readonly Dictionary<string, string> Verbs = new()
    {
        [AuditActions.Created.Name] = "created the lead",
        [AuditActions.Deleted.Name] = "deleted the lead",
        [AuditActions.Updated.Name] = "updated",
        [AuditActions.LeadConverted.Name] = "converted the lead",
        [AuditActions.CallBlocked.Name] = "was blocked from calling",
    };

    private static string Verb(string action) => Verbs.GetValueOrDefault(action) ?? AuditActions.LabelOf(action).ToLowerInvariant();

    private static Dictionary<string, AuditField> Fields(ListCatalogue<Lead, LeadDto> catalogue)
    {
        var fields = new Dictionary<string, AuditField>(Extra);
        foreach (var field in catalogue.Fields)
        {
            var custom = field.Key.StartsWith(CustomFieldQueries.Prefix, StringComparison.Ordinal);
            fields[field.Key] = new AuditField(field.Label, field.Kind switch
                {
                    FieldKind.Date => AuditValueKind.Date,
                    FieldKind.DateTime => AuditValueKind.DateTime,
                    FieldKind.Boolean => AuditValueKind.Boolean,
                    FieldKind.Enum when !custom => AuditValueKind.Label,
                    FieldKind.Owner => AuditValueKind.Member,
                    FieldKind.Reference => AuditValueKind.Record,
                    _ => AuditValueKind.Text,
                });
        }
        return fields;
    }
}
