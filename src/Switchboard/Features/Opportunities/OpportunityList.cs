using Switchboard.Features.CustomFields;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Opportunities;

public static class OpportunityList
{
    public static readonly IReadOnlyList<string> DefaultColumns = ["stageId", "amount", "probability", "expectedClose"];

    /// <param name="stages">The tenant's stages, for the status (the kind of the opportunity's stage).</param>
    public static ListCatalogue<Opportunity, OpportunityDto> Catalogue(CustomFieldSet custom, IQueryable<PipelineStage> stages)
    {
        var standard = RecordFields.Then<Opportunity, OpportunityDto>(
        [
            Fields<Opportunity, OpportunityDto>.Text("name", "Name", o => o.Name, o => o.Name),
            Fields<Opportunity, OpportunityDto>.Of("amount", "Amount", FieldKind.Number, o => o.Amount, o => o.Amount),
            Fields<Opportunity, OpportunityDto>.Text("currency", "Currency", o => o.Currency, o => o.Currency),
            Fields<Opportunity, OpportunityDto>.Of("probability", "Probability", FieldKind.Number, o => o.Probability, o => o.Probability),
            Fields<Opportunity, OpportunityDto>.Of("expectedClose", "Expected close", FieldKind.Date, o => o.ExpectedClose, o => o.ExpectedClose),
            Fields<Opportunity, OpportunityDto>.Of("pipelineId", "Pipeline", FieldKind.Reference, o => o.PipelineId, o => o.PipelineId),
            Fields<Opportunity, OpportunityDto>.Of("stageId", "Stage", FieldKind.Reference, o => o.StageId, o => o.StageId),
            Fields<Opportunity, OpportunityDto>.Of("status", "Status", FieldKind.Enum,
                o => stages.Where(st => st.Id == o.StageId).Select(st => st.Kind).FirstOrDefault(), o => o.Status, StageKinds.All),
            Fields<Opportunity, OpportunityDto>.Of("accountId", "Account", FieldKind.Reference, o => o.AccountId, o => o.AccountId),
            Fields<Opportunity, OpportunityDto>.Of("contactId", "Contact", FieldKind.Reference, o => o.ContactId, o => o.ContactId),
            Fields<Opportunity, OpportunityDto>.Of("ownerId", "Owner", FieldKind.Owner, o => o.OwnerId, o => o.OwnerId),
            Fields<Opportunity, OpportunityDto>.Text("lostReason", "Lost reason", o => o.LostReason, o => o.LostReason),
            Fields<Opportunity, OpportunityDto>.Of("closedAt", "Closed", FieldKind.DateTime, o => o.ClosedAt, o => o.ClosedAt),
        ]);
        return new ListCatalogue<Opportunity, OpportunityDto>(CustomFieldEntities.Opportunity, standard, DefaultColumns, custom, o => o.Custom, o => o.Custom, []);
    }
}

/// <summary>Registers the opportunity list with saved views (ListCatalogues).</summary>
public sealed class OpportunityListRegistration(CustomFieldValidator customFields, Platform.Database.SwitchboardDbContext db) : IEntityList
{
    public string Entity => CustomFieldEntities.Opportunity;

    public async Task CheckAsync(ListCriteria criteria, string? sort, ListContext context, Platform.Web.ValidationErrors errors, CancellationToken ct) =>
        OpportunityList.Catalogue(await customFields.ForEntityAsync(Entity, ct), db.Set<PipelineStage>()).CheckView(criteria, sort, context, errors);
}
