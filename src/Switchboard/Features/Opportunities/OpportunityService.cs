using Switchboard.Features.CustomFields;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Opportunities;

/// <summary>The opportunity use cases, shared by the API and the pages: role rules, stage rules, optimistic concurrency.</summary>
[Scoped]
public sealed class OpportunityService(
    SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, PipelineService pipelines, CrmReferences references, CustomFieldValidator customFields) : IRecordStore<OpportunityDto, OpportunityWrite>
{
    public Task<Outcome<PagedList<OpportunityDto>>> ListAsync(OpportunityQuery query, CancellationToken ct) => ListAsync(query, ListCriteria.None, ct);

    /// <param name="criteria">filter.&lt;field&gt;=op:value conditions and the columns asked for (see Features/Lists).</param>
    public Task<Outcome<PagedList<OpportunityDto>>> ListAsync(OpportunityQuery query, ListCriteria criteria, CancellationToken ct) =>
        ListPages.PageAsync(db, query.Page, query.PageSize, errors => SelectAsync(query, criteria, errors, ct), async items =>
        {
            var kinds = await StageKindsAsync(ct);
            var withLines = await LinesOfAsync(items.Select(o => o.Id).ToList(), ct);
            return (IReadOnlyList<OpportunityDto>)items.Select(o => ToDto(o, kinds, withLines.Contains(o.Id))).ToList();
        }, ct);

    /// <summary>The visible opportunities the query selects, filtered and sorted but not paged (for a page or an export); null when invalid.</summary>
    public async Task<ListRows<Opportunity, OpportunityDto>?> SelectAsync(OpportunityQuery query, ListCriteria criteria, ValidationErrors errors, CancellationToken ct)
    {
        if (query.Status is { } s && !StageKinds.All.Contains(s)) errors.Add("status", $"'{s}' is not a valid status. Use one of: {string.Join(", ", StageKinds.All)}.");
        var sort = query.Sort ?? "-createdAt";
        var catalogue = OpportunityList.Catalogue(await customFields.ForEntityAsync(CustomFieldEntities.Opportunity, ct), db.Set<PipelineStage>());
        if (catalogue.Select(sort, criteria, ListContexts.For(ctx), errors) is not { } selection) return null;

        var items = Visible();
        if (query.PipelineId is { } pipelineId) items = items.Where(o => o.PipelineId == pipelineId);
        if (query.StageId is { } stageId) items = items.Where(o => o.StageId == stageId);
        if (query.OwnerId is { } ownerId) items = items.Where(o => o.OwnerId == ownerId);
        if (query.AccountId is { } accountId) items = items.Where(o => o.AccountId == accountId);
        if (query.Status is { } status) items = items.Where(o => db.Set<PipelineStage>().Any(st => st.Id == o.StageId && st.Kind == status));
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var like = Platform.Database.LikePatterns.Contains(query.Q.Trim());
            items = items.Where(o => EF.Functions.ILike(o.Name, like, Platform.Database.LikePatterns.Escape));
        }
        items = selection.Apply(items);
        return new ListRows<Opportunity, OpportunityDto>(catalogue.Sort(items, sort, o => o.Id), selection);
    }

    /// <summary>Rows of a selection as DTOs, one at a time (for an export): stage kinds are read once; product lines are not looked up.</summary>
    public async IAsyncEnumerable<OpportunityDto> StreamAsync(IQueryable<Opportunity> ordered, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var kinds = await StageKindsAsync(ct);
        await foreach (var o in ordered.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
            yield return ToDto(o, kinds, hasLines: false);
    }

    public async Task<OpportunityDto?> FindAsync(Guid id, CancellationToken ct)
    {
        if (await db.FindVisibleAsync<Opportunity>(id, ctx, ct) is not { } opportunity) return null;
        return await ToDtoAsync(opportunity, ct);
    }

    public async Task<Outcome<OpportunityDto>> CreateAsync(OpportunityWrite body, CancellationToken ct)
    {
        if (!RecordPermissions.CanCreate(ctx)) return new Outcome<OpportunityDto>.Forbidden("Your role cannot create opportunities.");
        var errors = body.BindingErrors();
        if (body.Version.Sent) errors.Add("version", "'version' cannot be set on create.");
        var opportunity = new Opportunity { Id = Guid.CreateVersion7(), Name = "", Currency = ctx.Tenant?.Currency ?? "USD" };
        // The creator owns it by default, when they are a member here (a superadmin visiting a tenant is not).
        var self = ctx.UserId;
        if (await db.Memberships.AnyAsync(m => m.UserId == self && m.IsActive, ct)) opportunity.OwnerId = self;
        if (!body.PipelineId.Sent && !body.StageId.Sent)
        {
            var pipeline = await pipelines.DefaultAsync(ct);
            var first = FirstOpen(pipeline.Stages);
            (opportunity.PipelineId, opportunity.StageId, opportunity.Probability) = (pipeline.Id, first.Id, first.Probability);
        }
        await ApplyAsync(opportunity, body, errors, isNew: true, hasLines: false, ct);
        if (!RecordPermissions.CanAssign(ctx) && opportunity.OwnerId != ctx.UserId)
            return new Outcome<OpportunityDto>.Forbidden("Agents can only create opportunities they own.");
        if (!errors.IsValid) return new Outcome<OpportunityDto>.Invalid(errors.ToDictionary());

        db.Add(opportunity);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(opportunity, ct);
    }

    /// <summary>Applies a JSON merge patch. <paramref name="ifMatch"/> is the version from an If-Match header, if any.</summary>
    public async Task<Outcome<OpportunityDto>> UpdateAsync(Guid id, OpportunityWrite patch, int? ifMatch, CancellationToken ct)
    {
        var opportunity = await Visible().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (opportunity is null) return new Outcome<OpportunityDto>.NotFound();
        if (!RecordPermissions.CanEdit(ctx, opportunity.OwnerId)) return new Outcome<OpportunityDto>.Forbidden("Your role cannot edit this opportunity.");
        if (ifMatch is { } expected && expected != opportunity.Version)
            return new Outcome<OpportunityDto>.PreconditionFailed($"The opportunity has changed since version {expected}; it is now at version {opportunity.Version}. Reload and retry.");
        var errors = patch.BindingErrors();
        if (patch.Version is { IsSet: true, Value: { } v } && v != opportunity.Version)
            return new Outcome<OpportunityDto>.Conflict($"The opportunity has changed since version {v}; it is now at version {opportunity.Version}. Reload and retry.");
        var previousOwner = opportunity.OwnerId;
        var hasLines = await db.Set<OpportunityProduct>().AnyAsync(l => l.OpportunityId == id, ct);
        await ApplyAsync(opportunity, patch, errors, isNew: false, hasLines, ct);
        if (opportunity.OwnerId != previousOwner && !RecordPermissions.CanAssign(ctx))
            return new Outcome<OpportunityDto>.Forbidden("Your role cannot reassign opportunities.");
        if (!errors.IsValid) return new Outcome<OpportunityDto>.Invalid(errors.ToDictionary());

        if (!await db.TrySaveAsync(ct)) return RecordSave.Conflict<OpportunityDto>("opportunity");
        return await ToDtoAsync(opportunity, ct);
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        var opportunity = await Visible().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (opportunity is null) return new Outcome<bool>.NotFound();
        if (!RecordPermissions.CanDelete(ctx)) return new Outcome<bool>.Forbidden("Only administrators can delete opportunities.");
        db.Remove(opportunity);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The opportunities the caller may see: the tenant's (EF filter and RLS), and for agents only their own.</summary>
    public IQueryable<Opportunity> Visible() => db.Set<Opportunity>().VisibleTo(ctx);

    private async Task ApplyAsync(Opportunity o, OpportunityWrite body, ValidationErrors errors, bool isNew, bool hasLines, CancellationToken ct)
    {
        if (body.Name is { IsSet: true } name) o.Name = name.Value ?? "";
        if (body.Currency.Currency("currency", errors) is { IsSet: true } currency)
        {
            if (currency.Value is null) errors.Add("currency", "currency cannot be null.");
            else if (hasLines && currency.Value != o.Currency) errors.Add("currency", "The currency cannot change while the opportunity lists products.");
            else o.Currency = currency.Value;
        }
        if (body.Amount.Money("amount", errors) is { IsSet: true } amount)
        {
            if (hasLines && amount.Value != o.Amount) errors.Add("amount", "The amount is the sum of the opportunity's products; change the products instead.");
            else o.Amount = amount.Value;
        }
        if (body.ExpectedClose is { IsSet: true } close) o.ExpectedClose = close.Value;
        if (body.AccountId is { IsSet: true } account)
        {
            o.AccountId = account.Value;
            if (account.Value is { } accountId && !await references.AccountExistsAsync(accountId, ct)) errors.Add("accountId", "No such account in this tenant.");
        }
        if (body.ContactId is { IsSet: true } contact)
        {
            o.ContactId = contact.Value;
            if (contact.Value is { } contactId && !await references.ContactExistsAsync(contactId, ct)) errors.Add("contactId", "No such contact in this tenant.");
        }
        if (body.OwnerId is { IsSet: true } owner)
        {
            o.OwnerId = owner.Value;
            if (owner.Value is { } ownerId && !await db.Memberships.AnyAsync(m => m.UserId == ownerId && m.IsActive, ct))
                errors.Add("ownerId", "The owner must be an active member of this tenant.");
        }
        await ApplyStageAsync(o, body, errors, ct);
        if (isNew || body.Name.IsSet) errors.Required("name", o.Name, "Name");
        if ((isNew || body.Custom.IsSet)
            && await customFields.ValidateAsync(CustomFieldEntities.Opportunity, body.Custom.Value, o.Custom, isNew, errors, ct) is { } custom
            && !JsonDocumentComparer.Instance.Equals(custom, o.Custom))
            o.Custom = custom;
    }

    /// <summary>
    /// Pipeline and stage: a stage alone moves within its own pipeline; a pipeline alone starts at its first open stage.
    /// A stage change resets probability to the stage's (unless sent), and won/lost close the opportunity.
    /// </summary>
    private async Task ApplyStageAsync(Opportunity o, OpportunityWrite body, ValidationErrors errors, CancellationToken ct)
    {
        if (body.PipelineId is { IsSet: true, Value: null }) errors.Add("pipelineId", "pipelineId cannot be null.");
        if (body.StageId is { IsSet: true, Value: null }) errors.Add("stageId", "stageId cannot be null.");

        PipelineStage? stage = null;
        if (body.StageId.Value is { } stageId)
        {
            stage = await db.Set<PipelineStage>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == stageId, ct);
            if (stage is null) errors.Add("stageId", "No such stage in this tenant.");
            else if (body.PipelineId.Value is { } p && p != stage.PipelineId) errors.Add("stageId", "The stage is not part of the pipeline.");
        }
        else if (body.PipelineId.Value is { } pipelineId && pipelineId != o.PipelineId)
        {
            var stages = await db.Set<PipelineStage>().AsNoTracking().Where(s => s.PipelineId == pipelineId).ToListAsync(ct);
            if (stages.Count == 0) errors.Add("pipelineId", "No such pipeline in this tenant.");
            else stage = FirstOpen(stages);
        }
        var stageChanged = stage is not null && stage.Id != o.StageId;
        if (stage is not null)
        {
            o.PipelineId = stage.PipelineId;
            o.StageId = stage.Id;
            if (stageChanged && !body.Probability.IsSet) o.Probability = stage.Probability;
        }
        if (body.Probability.IsSet)
        {
            if (body.Probability.Value is { } probability and >= 0 and <= 100) o.Probability = probability;
            else errors.Add("probability", "Probability must be a whole number between 0 and 100.");
        }
        if (body.LostReason.IsSet) o.LostReason = body.LostReason.Value;
        errors.MaxLength("lostReason", o.LostReason, "Lost reason", 1000);

        var kind = stage?.Kind ?? await db.Set<PipelineStage>().Where(s => s.Id == o.StageId).Select(s => s.Kind).SingleOrDefaultAsync(ct);
        switch (kind)
        {
            case StageKinds.Lost:
                if (string.IsNullOrWhiteSpace(o.LostReason)) errors.Add("lostReason", "Say why the opportunity was lost.");
                if (stageChanged || o.ClosedAt is null) o.ClosedAt = clock.GetUtcNow();
                break;
            case StageKinds.Won:
                o.LostReason = null;
                if (stageChanged || o.ClosedAt is null) o.ClosedAt = clock.GetUtcNow();
                break;
            default:
                o.LostReason = null;
                o.ClosedAt = null;
                break;
        }
    }

    private static PipelineStage FirstOpen(IEnumerable<PipelineStage> stages) =>
        stages.Where(s => s.Kind == StageKinds.Open).OrderBy(s => s.Position).First();

    private async Task<Dictionary<Guid, string>> StageKindsAsync(CancellationToken ct) =>
        await db.Set<PipelineStage>().AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Kind, ct);

    private async Task<HashSet<Guid>> LinesOfAsync(List<Guid> ids, CancellationToken ct) =>
        (await db.Set<OpportunityProduct>().Where(l => ids.Contains(l.OpportunityId)).Select(l => l.OpportunityId).Distinct().ToListAsync(ct)).ToHashSet();

    private async Task<OpportunityDto> ToDtoAsync(Opportunity o, CancellationToken ct)
    {
        var kind = await db.Set<PipelineStage>().Where(s => s.Id == o.StageId).Select(s => s.Kind).SingleAsync(ct);
        var hasLines = await db.Set<OpportunityProduct>().AnyAsync(l => l.OpportunityId == o.Id, ct);
        return ToDto(o, new Dictionary<Guid, string> { [o.StageId] = kind }, hasLines);
    }

    internal static OpportunityDto ToDto(Opportunity o, IReadOnlyDictionary<Guid, string> kinds, bool hasLines) => new(
        o.Id, o.Name, o.AccountId, o.ContactId, o.Amount, o.Currency, o.PipelineId, o.StageId, kinds.GetValueOrDefault(o.StageId, StageKinds.Open),
        o.Probability, o.ExpectedClose, o.OwnerId, o.LostReason, o.ClosedAt, hasLines, o.Custom.RootElement.Clone(), o.CreatedAt, o.UpdatedAt, o.Version);
}
