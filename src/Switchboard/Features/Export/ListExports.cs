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
[Scoped]
public sealed class ListExports(TenantContext ctx, ViewService views, ListExport export)
{
    public Task<ExportOutcome> LeadsAsync(HttpResponse response, LeadQuery query, IReadOnlyDictionary<string, string>? customFilters, ListCriteria criteria, Guid? viewId, LeadService leads, CancellationToken ct) =>
        ExportAsync(response, CustomFields.CustomFieldEntities.Lead, viewId, criteria, async (view, merged, errors) =>
        {
            query = query with { Search = query.Search ?? view?.Search, Sort = query.Sort ?? view?.Sort, Page = null, PageSize = null };
            var parameters = new Dictionary<string, string?> { ["status"] = query.Status, ["ownerId"] = query.OwnerId?.ToString() };
            foreach (var (key, value) in customFilters ?? new Dictionary<string, string>()) parameters[CustomFields.CustomFieldQueries.Prefix + key] = value;
            return await leads.SelectAsync(query, customFilters, merged, errors, ct) is { } rows
                ? new ExportRows<Lead, LeadDto>(rows.Selection.Exported, Stream(rows.Ordered, LeadService.ToDto, ct), query.Search, query.Sort, parameters)
                : null;
        }, ct);

    public Task<ExportOutcome> AccountsAsync(HttpResponse response, AccountQuery query, ListCriteria criteria, Guid? viewId, AccountService accounts, CancellationToken ct) =>
        ExportAsync(response, CustomFields.CustomFieldEntities.Account, viewId, criteria, async (view, merged, errors) =>
        {
            query = query with { Q = query.Q ?? view?.Search, Sort = query.Sort ?? view?.Sort, Page = null, PageSize = null };
            return await accounts.SelectAsync(query, merged, errors, ct) is { } rows
                ? new ExportRows<Account, AccountDto>(rows.Selection.Exported, Stream(rows.Ordered, AccountService.ToDto, ct), query.Q, query.Sort,
                    new Dictionary<string, string?> { ["ownerId"] = query.OwnerId?.ToString() })
                : null;
        }, ct);

    public Task<ExportOutcome> ContactsAsync(HttpResponse response, ContactQuery query, ListCriteria criteria, Guid? viewId, ContactService contacts, CancellationToken ct) =>
        ExportAsync(response, CustomFields.CustomFieldEntities.Contact, viewId, criteria, async (view, merged, errors) =>
        {
            query = query with { Q = query.Q ?? view?.Search, Sort = query.Sort ?? view?.Sort, Page = null, PageSize = null };
            return await contacts.SelectAsync(query, merged, errors, ct) is { } rows
                ? new ExportRows<Contact, ContactDto>(rows.Selection.Exported, Stream(rows.Ordered, ContactService.ToDto, ct), query.Q, query.Sort,
                    new Dictionary<string, string?> { ["ownerId"] = query.OwnerId?.ToString(), ["accountId"] = query.AccountId?.ToString() })
                : null;
        }, ct);

    public Task<ExportOutcome> OpportunitiesAsync(HttpResponse response, OpportunityQuery query, ListCriteria criteria, Guid? viewId, OpportunityService opportunities, CancellationToken ct) =>
        ExportAsync(response, CustomFields.CustomFieldEntities.Opportunity, viewId, criteria, async (view, merged, errors) =>
        {
            query = query with { Q = query.Q ?? view?.Search, Sort = query.Sort ?? view?.Sort, Page = null, PageSize = null };
            var parameters = new Dictionary<string, string?>
            {
                ["status"] = query.Status, ["ownerId"] = query.OwnerId?.ToString(), ["pipelineId"] = query.PipelineId?.ToString(),
                ["stageId"] = query.StageId?.ToString(), ["accountId"] = query.AccountId?.ToString(),
            };
            return await opportunities.SelectAsync(query, merged, errors, ct) is { } rows
                ? new ExportRows<Opportunity, OpportunityDto>(rows.Selection.Exported, opportunities.StreamAsync(rows.Ordered, ct), query.Q, query.Sort, parameters)
                : null;
        }, ct);

    /// <summary>
    /// The steps every list's export shares: the role check, the saved view to start from, its conditions merged with
    /// the request's, the list's own selection (<paramref name="select"/>: null when the request is invalid), the CSV.
    /// </summary>
    private async Task<ExportOutcome> ExportAsync<TEntity, TDto>(HttpResponse response, string entity, Guid? viewId, ListCriteria criteria,
        Func<ViewDefinition?, ListCriteria, ValidationErrors, Task<ExportRows<TEntity, TDto>?>> select, CancellationToken ct)
    {
        if (Refusal() is { } refused) return refused;
        if (await ViewAsync(viewId, entity, ct) is not { } view) return new ExportOutcome.ViewNotFound();
        var merged = Merge(view.Definition, criteria);
        var errors = new ValidationErrors();
        if (await select(view.Definition, merged, errors) is not { } rows) return new ExportOutcome.Invalid(errors.ToDictionary());
        await export.WriteAsync(response, entity, rows.Columns, rows.Items, new ExportRequest(merged.Filters, rows.Search, rows.Sort, rows.Parameters, view.Id), ct);
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

    /// <summary>One list's selection, ready to write: its columns, its rows as DTOs, and what the audit records of the request.</summary>
    private sealed record ExportRows<TEntity, TDto>(IReadOnlyList<ListField<TEntity, TDto>> Columns, IAsyncEnumerable<TDto> Items,
        string? Search, string? Sort, IReadOnlyDictionary<string, string?> Parameters);
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
