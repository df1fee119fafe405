using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Bulk;

/// <summary>
/// One list's part in bulk actions: which actions apply, how its filter selects records, and each change made
/// through the entity's own single-record use case (<see cref="IRecordStore{TDto, TWrite}"/>), so the role rules,
/// ownership, validation and audit are those of a single change (ADR 0033).
/// </summary>
public interface IBulkTarget
{
    /// <summary>The entity's name in custom fields, views and audit rows ("lead").</summary>
    string Entity { get; }

    /// <summary>The list's path under /api/v1 and in the UI ("leads").</summary>
    string Path { get; }

    string Plural { get; }

    IReadOnlyList<string> Actions { get; }

    /// <summary>The values the status action takes (empty when it does not apply).</summary>
    IReadOnlyList<string> Statuses { get; }

    /// <summary>The ids the list shows for these query parameters, in the list's order, as the caller sees them; null (with errors) when invalid.</summary>
    Task<IQueryable<Guid>?> SelectAsync(BulkFilter filter, ValidationErrors errors, CancellationToken ct);

    /// <summary>Assign (value: owner id or null) or status (value: the status), through the single-record update.</summary>
    Task<Outcome<bool>> UpdateAsync(Guid id, string action, string? value, CancellationToken ct);

    Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct);

    /// <summary>The record's phone numbers when the caller may see it; null when not found or not visible.</summary>
    Task<IReadOnlyList<string>?> PhonesAsync(Guid id, CancellationToken ct);

    /// <summary>Adds the record to one of the caller's dialer queues (only lists whose actions include add-to-queue); Ok(false): already there.</summary>
    Task<Outcome<bool>> AddToQueueAsync(Guid queueId, Guid id, CancellationToken ct);
}

/// <summary>The shared part: updates as JSON merge patches of the record's own body, deletes and lookups through its store.</summary>
public abstract class BulkTarget<TDto, TWrite>(IRecordStore<TDto, TWrite> store) : IBulkTarget
    where TWrite : OwnedRecordWrite, new()
{
    public abstract string Entity { get; }
    public abstract string Path { get; }
    public abstract string Plural { get; }
    public abstract IReadOnlyList<string> Actions { get; }
    public virtual IReadOnlyList<string> Statuses => [];

    public abstract Task<IQueryable<Guid>?> SelectAsync(BulkFilter filter, ValidationErrors errors, CancellationToken ct);

    /// <summary>The patch that sets the status (only for entities with <see cref="Statuses"/>).</summary>
    protected virtual TWrite StatusPatch(string status) => throw new NotSupportedException($"{Plural} have no status.");

    protected abstract IEnumerable<string?> Phones(TDto record);

    public async Task<Outcome<bool>> UpdateAsync(Guid id, string action, string? value, CancellationToken ct)
    {
        var patch = action == BulkActions.Assign
            ? new TWrite { OwnerId = Optional.Of(Guid.TryParse(value, out var owner) ? owner : (Guid?)null) }
            : StatusPatch(value!);
        return await store.UpdateAsync(id, patch, null, ct) switch
        {
            Outcome<TDto>.Ok => true,
            Outcome<TDto>.NotFound => new Outcome<bool>.NotFound(),
            Outcome<TDto>.Forbidden f => new Outcome<bool>.Forbidden(f.Message),
            Outcome<TDto>.Invalid i => new Outcome<bool>.Invalid(i.Errors),
            Outcome<TDto>.Conflict c => new Outcome<bool>.Conflict(c.Message),
            var other => new Outcome<bool>.Conflict(other.Problem ?? "It could not be changed."),
        };
    }

    public Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct) => store.DeleteAsync(id, ct);

    public async Task<IReadOnlyList<string>?> PhonesAsync(Guid id, CancellationToken ct) =>
        await store.FindAsync(id, ct) is { } record ? Phones(record).OfType<string>().Where(p => p.Length > 0).Distinct().ToList() : null;

    public virtual Task<Outcome<bool>> AddToQueueAsync(Guid queueId, Guid id, CancellationToken ct) =>
        throw new NotSupportedException($"{Plural} cannot be added to a dialer queue.");
}

/// <summary>
/// A list's query parameters as the bulk request sent them (the same names and values as the list endpoint's query
/// string); each target reads its own and <see cref="Unread"/> names the rest.
/// </summary>
public sealed class BulkFilter(IReadOnlyDictionary<string, string[]> parameters)
{
    /// <summary>What the list endpoint takes but a selection of every matching record ignores.</summary>
    private static readonly string[] Ignored = ["sort", "columns", "page", "pageSize"];

    private readonly HashSet<string> _read = new(Ignored, StringComparer.Ordinal);

    public IQueryCollection Query { get; } = new QueryCollection(parameters.ToDictionary(p => p.Key, p => new StringValues(p.Value), StringComparer.Ordinal));

    public string? Text(string key)
    {
        _read.Add(key);
        return parameters.TryGetValue(key, out var values) && values.Length > 0 && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;
    }

    public Guid? Id(string key, ValidationErrors errors)
    {
        if (Text(key) is not { } text) return null;
        if (Guid.TryParse(text, out var id)) return id;
        errors.Add("filter." + key, $"'{text}' is not an id.");
        return null;
    }

    /// <summary>The list's filter.&lt;field&gt; conditions.</summary>
    public ListCriteria Criteria()
    {
        MarkPrefixed(ListFilter.QueryPrefix);
        return new ListCriteria(ListFilter.FromQuery(Query), null);
    }

    public void MarkPrefixed(string prefix)
    {
        foreach (var key in parameters.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))) _read.Add(key);
    }

    /// <summary>Adds an error for each parameter the list does not take.</summary>
    public void Unread(string plural, ValidationErrors errors)
    {
        foreach (var key in parameters.Keys.Where(k => !_read.Contains(k)))
            errors.Add("filter." + key, $"'{key}' is not a query parameter of the {plural} list.");
    }
}
