using System.Runtime.CompilerServices;
using Switchboard.Features.Lists;
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
/// The CSV export every entity list shares, for GET /api/v1/{entity}/export and the list pages' "Export CSV": the
/// list's own selection (search, legacy parameters, filters, sort, columns), optionally starting from a saved view.
/// Each feature says how its list selects rows, beside its list (<c>LeadExport</c>, <c>AccountExport</c>…). The rows
/// are read by the list's service from a caught-up standby when there is one (ADR 0070); the audit row goes to the primary.
/// </summary>
[Scoped]
public sealed class ListExports(TenantContext ctx, ViewService views, ListExport export, StandbyReads reads)
{
    /// <summary>
    /// The steps every list's export shares: the role check, the saved view to start from, its conditions merged with
    /// the request's, the list's own selection by its service (<paramref name="select"/>: null when the request is
    /// invalid), the CSV.
    /// </summary>
    /// <typeparam name="TService">The list's service, resolved where the export reads (<see cref="StandbyReads"/>).</typeparam>
    public async Task<ExportOutcome> ExportAsync<TService, TEntity, TDto>(HttpResponse response, string entity, Guid? viewId, ListCriteria criteria,
        Func<TService, ViewDefinition?, ListCriteria, ValidationErrors, Task<ExportRows<TEntity, TDto>?>> select, CancellationToken ct)
        where TService : notnull
    {
        if (Refusal() is { } refused) return refused;
        if (await ViewAsync(viewId, entity, ct) is not { } view) return new ExportOutcome.ViewNotFound();
        var merged = Merge(view.Definition, criteria);
        var errors = new ValidationErrors();
        var service = await reads.ServiceAsync<TService>(ct);
        if (await select(service, view.Definition, merged, errors) is not { } rows) return new ExportOutcome.Invalid(errors.ToDictionary());
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

    /// <summary>The ordered rows as DTOs, read untracked as they stream.</summary>
    public static async IAsyncEnumerable<TDto> Stream<TEntity, TDto>(IQueryable<TEntity> ordered, Func<TEntity, TDto> toDto, [EnumeratorCancellation] CancellationToken ct)
        where TEntity : class
    {
        await foreach (var row in ordered.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct)) yield return toDto(row);
    }

    private sealed record StartingView(Guid? Id, ViewDefinition? Definition);
}

/// <summary>One list's selection, ready to write: its columns, its rows as DTOs, and what the audit records of the request.</summary>
public sealed record ExportRows<TEntity, TDto>(IReadOnlyList<ListField<TEntity, TDto>> Columns, IAsyncEnumerable<TDto> Items,
    string? Search, string? Sort, IReadOnlyDictionary<string, string?> Parameters);

public static class ExportOutcomeHttp
{
    private const string Summary =
        "Streams the list as CSV (UTF-8, header row, RFC 4180) with the same search, filter.<field>=op:value, sort and columns as the list; viewId starts from a saved view. No row cap. Admins and managers only; audited.";

    /// <summary>The OpenAPI description every list's <c>GET /{entity}/export</c> shares.</summary>
    public static RouteHandlerBuilder AsListExport(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces(200, contentType: "text/csv").ProducesValidationProblem().ProducesProblem(404).WithSummary(Summary);

    public static IResult ToResult(this ExportOutcome outcome) => outcome switch
    {
        ExportOutcome.Forbidden f => Problems.Forbidden(f.Message),
        ExportOutcome.ViewNotFound => Problems.NotFound("The view"),
        ExportOutcome.Invalid i => Problems.Invalid(i.Errors),
        _ => Results.Empty,
    };
}
