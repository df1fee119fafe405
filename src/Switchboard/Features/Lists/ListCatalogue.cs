using System.Linq.Expressions;
using Switchboard.Features.CustomFields;

namespace Switchboard.Features.Lists;

/// <summary>What a list request asks for beyond search, sort and paging: conditions and visible columns.</summary>
public sealed record ListCriteria(IReadOnlyList<ListFilter> Filters, IReadOnlyList<string>? Columns)
{
    public static readonly ListCriteria None = new([], null);

    /// <summary>The filter.* and columns parameters of a request; columns is comma-separated and may repeat.</summary>
    public static ListCriteria FromQuery(IQueryCollection query) => new(ListFilter.FromQuery(query), ColumnsFrom(query["columns"]));

    public static IReadOnlyList<string>? ColumnsFrom(IEnumerable<string?> values)
    {
        var columns = values.SelectMany(v => (v ?? "").Split(',')).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct().ToList();
        return columns.Count == 0 ? null : columns;
    }
}

/// <summary>The fields of one entity's list (standard, then custom), and the check of a request against them.</summary>
public sealed class ListCatalogue<TEntity, TDto>
{
    private readonly Dictionary<string, ListField<TEntity, TDto>> _byKey;

    /// <param name="ownSorts">The sorts the entity's service orders by itself (see <see cref="Sort"/>).</param>
    public ListCatalogue(string entity, IEnumerable<ListField<TEntity, TDto>> standard, IReadOnlyList<string> defaultColumns,
        CustomFieldSet custom, Expression<Func<TEntity, JsonDocument>> customColumn, Func<TDto, JsonElement?> customValues,
        IReadOnlyList<string> ownSorts)
    {
        Entity = entity;
        Fields = standard.Concat(custom.All.Select(f => (ListField<TEntity, TDto>)new CustomListField<TEntity, TDto>(f, customColumn, customValues))).ToList();
        _byKey = Fields.ToDictionary(f => f.Key, StringComparer.Ordinal);
        DefaultColumns = defaultColumns;
        OwnSorts = ownSorts;
        Sorts = ownSorts.Concat(Fields.Where(f => f.SortKey is not null).Select(f => f.Key)).Distinct().ToList();
    }

    public string Entity { get; }
    public IReadOnlyList<ListField<TEntity, TDto>> Fields { get; }

    /// <summary>The sorts the entity's service orders by itself, where the order is not one field's value (a lead's name: last, then first).</summary>
    public IReadOnlyList<string> OwnSorts { get; }

    /// <summary>Every key the list sorts by: the service's own, then each field with a sort value, custom fields too.</summary>
    public IReadOnlyList<string> Sorts { get; }

    /// <summary>Whether the list sorts by this ("-" before the key: descending).</summary>
    public bool Accepts(string? sort) => sort is not null && Sorts.Contains(sort.StartsWith('-') ? sort[1..] : sort);

    /// <summary>Adds a message under <c>sort</c> when the list cannot sort by it.</summary>
    public void CheckSort(string sort, ValidationErrors errors)
    {
        if (!Accepts(sort))
            errors.Add("sort", $"'{sort}' is not a sortable field of this {Entity} list. Use one of: {string.Join(", ", Sorts)} (prefix '-' for descending).");
    }

    /// <summary>
    /// The rows in a checked sort's order: one of <see cref="OwnSorts"/> through the service's <paramref name="own"/>
    /// ordering, any other field by its value (PostgreSQL puts empty values last, or first when descending), ties by
    /// id in the same direction — so an index on (tenant_id, value desc, id desc) serves both directions (migration 0009).
    /// </summary>
    public IQueryable<TEntity> Sort(IQueryable<TEntity> rows, string sort, Expression<Func<TEntity, Guid>> id,
        Func<IQueryable<TEntity>, string, IQueryable<TEntity>>? own = null)
    {
        var descending = sort.StartsWith('-');
        var key = descending ? sort[1..] : sort;
        if (OwnSorts.Contains(key) && own is not null) return own(rows, sort);
        var value = Find(key)?.SortKey ?? throw new ArgumentException($"'{sort}' is not a sort of this {Entity} list; check it with CheckSort first.", nameof(sort));
        var ordered = Expression.Call(typeof(Queryable), descending ? nameof(Queryable.OrderByDescending) : nameof(Queryable.OrderBy),
            [typeof(TEntity), value.ReturnType], rows.Expression, Expression.Quote(value));
        return rows.Provider.CreateQuery<TEntity>(Expression.Call(typeof(Queryable),
            descending ? nameof(Queryable.ThenByDescending) : nameof(Queryable.ThenBy), [typeof(TEntity), typeof(Guid)], ordered, Expression.Quote(id)));
    }

    /// <summary>The columns a list shows when the user has not chosen (the name column always comes first).</summary>
    public IReadOnlyList<string> DefaultColumns { get; }

    public ListField<TEntity, TDto>? Find(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>
    /// The request's conditions as query expressions and its columns as fields; problems are added to
    /// <paramref name="errors"/> under <c>filter.&lt;field&gt;</c> and <c>columns</c>.
    /// </summary>
    /// <summary>The checks a saved view of this list needs: its criteria and, when given, its sort.</summary>
    /// <summary>
    /// A list request's selection: the sort and the criteria checked together; null when <paramref name="errors"/> holds
    /// any error afterwards (the service's own checks included), so the service answers them all at once.
    /// </summary>
    public ListSelection<TEntity, TDto>? Select(string sort, ListCriteria criteria, ListContext ctx, ValidationErrors errors)
    {
        CheckSort(sort, errors);
        var selection = Check(criteria, ctx, errors);
        return errors.IsValid ? selection : null;
    }

    public void CheckView(ListCriteria criteria, string? sort, ListContext ctx, ValidationErrors errors)
    {
        Check(criteria, ctx, errors);
        if (sort is not null) CheckSort(sort, errors);
    }

    public ListSelection<TEntity, TDto> Check(ListCriteria criteria, ListContext ctx, ValidationErrors errors)
    {
        var predicates = new List<Expression<Func<TEntity, bool>>>();
        foreach (var filter in criteria.Filters)
        {
            var errorKey = ListFilter.QueryPrefix + filter.Field;
            if (Find(filter.Field) is not { } field)
            {
                errors.Add(errorKey, $"'{filter.Field}' is not a field of this {Entity} list. Use one of: {string.Join(", ", Fields.Where(f => f.Operators.Count > 0).Select(f => f.Key))}.");
                continue;
            }
            if (filter.Value?.Contains('\0') == true)
            {
                // PostgreSQL text cannot hold NUL; refused here rather than failing in the database.
                errors.Add(errorKey, "A filter value cannot contain NUL characters.");
                continue;
            }
            if (!FilterOps.All.Contains(filter.Op))
            {
                errors.Add(errorKey, $"'{filter.Op}' is not an operator. Use one of: {string.Join(", ", field.Operators)} (as {errorKey}=op:value).");
                continue;
            }
            if (!field.Operators.Contains(filter.Op))
            {
                errors.Add(errorKey, field.Operators.Count == 0
                    ? $"{field.Label} cannot be filtered."
                    : $"'{filter.Op}' cannot be used with {field.Label}. Use one of: {string.Join(", ", field.Operators)}.");
                continue;
            }
            if (field.Predicate(filter, ctx, out var error) is { } predicate) predicates.Add(predicate);
            else errors.Add(errorKey, error);
        }

        var columns = new List<ListField<TEntity, TDto>>();
        foreach (var key in criteria.Columns ?? DefaultColumns)
        {
            if (Find(key) is { } field) columns.Add(field);
            else errors.Add("columns", $"'{key}' is not a column of this {Entity} list. Use any of: {string.Join(", ", Fields.Select(f => f.Key))}.");
        }
        // Columns asked for are exported as asked (name and email are columns like any other); without them an export
        // writes what the list shows by default: the name, which a list always shows first, then the default columns.
        var exported = criteria.Columns is not null || Find("name") is not { } name ? columns : [name, .. columns];
        return new ListSelection<TEntity, TDto>(predicates, columns, exported);
    }
}

/// <summary>
/// A checked request: its conditions, ready to apply, the columns the list shows after the name, and the columns an
/// export writes (those asked for; by default the name, then the default columns).
/// </summary>
public sealed record ListSelection<TEntity, TDto>(
    IReadOnlyList<Expression<Func<TEntity, bool>>> Predicates, IReadOnlyList<ListField<TEntity, TDto>> Columns,
    IReadOnlyList<ListField<TEntity, TDto>> Exported)
{
    public IQueryable<TEntity> Apply(IQueryable<TEntity> rows) => Predicates.Aggregate(rows, (q, p) => q.Where(p));
}

/// <summary>Shorthands for declaring an entity's standard fields.</summary>
public static class Fields<TEntity, TDto>
{
    public static ListField<TEntity, TDto> Text(string key, string label, Expression<Func<TEntity, string?>> column, Func<TDto, object?> value) =>
        new StandardField<TEntity, TDto>(key, label, FieldKind.Text, column, value);

    public static ListField<TEntity, TDto> Phone(string key, string label, Expression<Func<TEntity, string?>> column, Func<TDto, object?> value) =>
        new StandardField<TEntity, TDto>(key, label, FieldKind.Text, column, value) { IsPhone = true };

    /// <summary>A list of texts (emails, phones): filters match any element; the first one is shown.</summary>
    public static ListField<TEntity, TDto> AnyOf(string key, string label, Expression<Func<TEntity, List<string>>> list, Func<TDto, object?> value, bool isPhone = false) =>
        new AnyElementField<TEntity, TDto>(key, label, list, value) { IsPhone = isPhone };

    public static ListField<TEntity, TDto> Of<TValue>(string key, string label, FieldKind kind, Expression<Func<TEntity, TValue>> column, Func<TDto, object?> value, IReadOnlyList<string>? options = null) =>
        new StandardField<TEntity, TDto>(key, label, kind, column, value, options);
}

/// <summary>The columns every owned record's list ends with (leads, accounts, contacts, opportunities).</summary>
public static class RecordFields
{
    /// <summary>The entity's own fields (owner among them, where it belongs), then created, updated and id.</summary>
    public static IEnumerable<ListField<TEntity, TDto>> Then<TEntity, TDto>(params IEnumerable<ListField<TEntity, TDto>> own)
        where TEntity : IOwnedRecord where TDto : IVersionedDto =>
    [
        .. own,
        Fields<TEntity, TDto>.Of("createdAt", "Created", FieldKind.DateTime, r => r.CreatedAt, r => r.CreatedAt),
        Fields<TEntity, TDto>.Of("updatedAt", "Updated", FieldKind.DateTime, r => r.UpdatedAt, r => r.UpdatedAt),
        Fields<TEntity, TDto>.Of("id", "Id", FieldKind.Reference, r => r.Id, r => r.Id),
    ];
}
