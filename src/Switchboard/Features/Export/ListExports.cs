using System.Runtime.CompilerServices;
using Switchboard.Features.Accounts;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Features.Lists;
using Switchboard.Features.Opportunities;
using Switchboard.Features.Views;

namespace Switchboard.Features.Export;

/// <summary>How an export ended before or after streaming; the API and the pages answer it their own way.</summary>
public abstract record ExportOutcome
{
    public sealed record Written : ExportOutcome;
    public sealed record Forbidden(string Message) : ExportOutcome;
    public sealed record ViewNotFound : ExportOutcome;
    public sealed record Invalid(IDictionary<string, string[]> Errors) : ExportOutcome;
}

/// <summary>
/// One export per entity list, shared by GET /api/v1/{entity}/export and the list pages' "Export CSV": the
/// list's own selection (search, legacy parameters, filters, sort, columns), optionally starting from a saved view.
/// </summary>
public sealed class ListExports(TenantContext ctx, ViewService views, ListExport export)
{
    public async Task<ExportOutcome> LeadsAsync(HttpResponse response, LeadQuery query, IReadOnlyDictionary<string, string>? customFilters, ListCriteria criteria, Guid? viewId, LeadService leads, CancellationToken ct)
    {
        if (Refusal() is { } refused) return refused;
        if (await ViewAsync(viewId, CustomFields.CustomFieldEntities.Lead, ct) is not { } view) return new ExportOutcome.ViewNotFound();
        var merged = Merge(view.Definition, criteria);
        query = query with { Search = query.Search ?? view.Definition?.Search, Sort = query.Sort ?? view.Definition?.Sort, Page = null, PageSize = null };
        var errors = new ValidationErrors();
        var rows = await leads.SelectAsync(query, customFilters, merged, errors, ct);
        if (rows is null) return new ExportOutcome.Invalid(errors.ToDictionary());
        var parameters = new Dictionary<string, string?> { ["status"] = query.Status, ["ownerId"] = query.OwnerId?.ToString() };
        foreach (var (key, value) in customFilters ?? new Dictionary<string, string>()) parameters[CustomFields.CustomFieldQueries.Prefix + key] = value;
        await export.WriteAsync(response, "lead", rows.Columns, Stream(rows.Ordered, LeadService.ToDto, ct),
            new ExportRequest(merged.Filters, query.Search, query.Sort, parameters, view.Id), ct);
        return new ExportOutcome.Written();
    }

    public async Task<ExportOutcome> AccountsAsync(HttpResponse response, AccountQuery query, ListCriteria criteria, Guid? viewId, AccountService accounts, CancellationToken ct)
    {
        if (Refusal() is { } refused) return refused;
        if (await ViewAsync(viewId, CustomFields.CustomFieldEntities.Account, ct) is not { } view) return new ExportOutcome.ViewNotFound();
        var merged = Merge(view.Definition, criteria);
        query = query with { Q = query.Q ?? view.Definition?.Search, Sort = query.Sort ?? view.Definition?.Sort, Page = null, PageSize = null };
        var errors = new ValidationErrors();
        var rows = await accounts.SelectAsync(query, merged, errors, ct);
        if (rows is null) return new ExportOutcome.Invalid(errors.ToDictionary());
        await export.WriteAsync(response, "account", rows.Columns, Stream(rows.Ordered, AccountService.ToDto, ct),
            new ExportRequest(merged.Filters, query.Q, query.Sort, new Dictionary<string, string?> { ["ownerId"] = query.OwnerId?.ToString() }, view.Id), ct);
        return new ExportOutcome.Written();
    }

    public async Task<ExportOutcome> ContactsAsync(HttpResponse response, ContactQuery query, ListCriteria criteria, Guid? viewId, ContactService contacts, CancellationToken ct)
    {
        if (Refusal() is { } refused) return refused;
        if (await ViewAsync(viewId, CustomFields.CustomFieldEntities.Contact, ct) is not { } view) return new ExportOutcome.ViewNotFound();
        var merged = Merge(view.Definition, criteria);
        query = query with { Q = query.Q ?? view.Definition?.Search, Sort = query.Sort ?? view.Definition?.Sort, Page = null, PageSize = null };
        var errors = new ValidationErrors();
        var rows = await contacts.SelectAsync(query, merged, errors, ct);
        if (rows is null) return new ExportOutcome.Invalid(errors.ToDictionary());
        await export.WriteAsync(response, "contact", rows.Columns, Stream(rows.Ordered, ContactService.ToDto, ct),
            new ExportRequest(merged.Filters, query.Q, query.Sort,
                new Dictionary<string, string?> { ["ownerId"] = query.OwnerId?.ToString(), ["accountId"] = query.AccountId?.ToString() }, view.Id), ct);
        return new ExportOutcome.Written();
    }

    public async Task<ExportOutcome> OpportunitiesAsync(HttpResponse response, OpportunityQuery query, ListCriteria criteria, Guid? viewId, OpportunityService opportunities, CancellationToken ct)
    {
        if (Refusal() is { } refused) return refused;
        if (await ViewAsync(viewId, CustomFields.CustomFieldEntities.Opportunity, ct) is not { } view) return new ExportOutcome.ViewNotFound();
        var merged = Merge(view.Definition, criteria);
        query = query with { Q = query.Q ?? view.Definition?.Search, Sort = query.Sort ?? view.Definition?.Sort, Page = null, PageSize = null };
        var errors = new ValidationErrors();
        var rows = await opportunities.SelectAsync(query, merged, errors, ct);
        if (rows is null) return new ExportOutcome.Invalid(errors.ToDictionary());
        var parameters = new Dictionary<string, string?>
        {
            ["status"] = query.Status, ["ownerId"] = query.OwnerId?.ToString(), ["pipelineId"] = query.PipelineId?.ToString(),
            ["stageId"] = query.StageId?.ToString(), ["accountId"] = query.AccountId?.ToString(),
        };
        await export.WriteAsync(response, "opportunity", rows.Columns, opportunities.StreamAsync(rows.Ordered, ct),
            new ExportRequest(merged.Filters, query.Q, query.Sort, parameters, view.Id), ct);
        return new ExportOutcome.Written();
    }

    private ExportOutcome? Refusal() =>
        ListExport.CanExport(ctx) ? null : new ExportOutcome.Forbidden("Only admins and managers can export lists.");

    /// <summary>The saved view to start from (an empty one when none is named); null when it is not visible or of another list.</summary>
    private async Task<StartingView?> ViewAsync(Guid? viewId, string entity, CancellationToken ct)
    {
        if (viewId is not { } id) return new StartingView(null, null);
        return await views.FindAsync(id, ct) is { } view && view.Entity == entity ? new StartingView(id, view.Definition) : null;
    }

    /// <summary>The view's conditions plus the request's; the request's columns, when given, replace the view's.</summary>
    private static ListCriteria Merge(ViewDefinition? view, ListCriteria request) =>
        view is null ? request : new ListCriteria([.. view.Filters, .. request.Filters], request.Columns ?? view.Columns);

    private static async IAsyncEnumerable<TDto> Stream<TEntity, TDto>(IQueryable<TEntity> ordered, Func<TEntity, TDto> toDto, [EnumeratorCancellation] CancellationToken ct)
        where TEntity : class
    {
        await foreach (var row in ordered.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct)) yield return toDto(row);
    }

    private sealed record StartingView(Guid? Id, ViewDefinition? Definition);
}

public static class ExportOutcomeHttp
{
    public static IResult ToResult(this ExportOutcome outcome) => outcome switch
    {
        ExportOutcome.Forbidden f => Problems.Forbidden(f.Message),
        ExportOutcome.ViewNotFound => Problems.NotFound("The view"),
        ExportOutcome.Invalid i => Problems.Invalid(i.Errors),
        _ => Results.Empty,
    };
}
