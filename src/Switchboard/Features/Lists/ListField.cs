using System.Linq.Expressions;

namespace Switchboard.Features.Lists;

/// <summary>
/// What a filter's values mean for the caller: the tenant's day boundaries for dates, "me" for the owner, and the
/// names shown instead of ids (owners, stages) when rows are displayed or exported.
/// </summary>
public sealed record ListContext(TimeZoneInfo Zone, Guid? UserId, IReadOnlyDictionary<Guid, string>? Names = null)
{
    public string? NameOf(Guid id) => Names?.GetValueOrDefault(id);
}

/// <summary>
/// One field of an entity list: a column the user may show or export and, when filterable, a condition target.
/// Filters run in the database (an expression over <typeparamref name="TEntity"/>); values are read from the
/// row's DTO, which both the pages and the export already produce.
/// </summary>
public abstract class ListField<TEntity, TDto>(string key, string label, FieldKind kind)
{
    public string Key { get; } = key;
    public string Label { get; } = label;
    public FieldKind Kind { get; } = kind;
    public virtual IReadOnlyList<string> Options => [];

    /// <summary>Shown in the column chooser (retired custom fields are not, yet still filter and export).</summary>
    public virtual bool Choosable => true;

    /// <summary>Displayed as a phone number.</summary>
    public bool IsPhone { get; init; }

    public virtual IReadOnlyList<string> Operators => FilterOps.For(Kind);

    /// <summary>The condition as a query expression, or null with a message for the user.</summary>
    public abstract Expression<Func<TEntity, bool>>? Predicate(ListFilter filter, ListContext ctx, out string error);

    /// <summary>What the list orders by when sorted by this field (a lambda over the entity), or null when it does not sort.</summary>
    public virtual LambdaExpression? SortKey => null;

    /// <summary>The row's value: string, number, DateOnly, DateTimeOffset, Guid, bool, a list of strings, or null.</summary>
    public abstract object? ValueOf(TDto row);
}

public static class ListContexts
{
    /// <summary>The caller's context: the tenant's time zone and the signed-in user.</summary>
    public static ListContext For(Platform.Tenancy.TenantContext ctx, IReadOnlyDictionary<Guid, string>? names = null) =>
        new(Platform.TimeZones.FindOrUtc(ctx.Tenant?.TimeZone), ctx.UserId, names);
}

/// <summary>A checked, filtered and ordered list, before paging: what a page shows a slice of and an export streams.</summary>
public sealed record ListRows<TEntity, TDto>(IQueryable<TEntity> Ordered, ListSelection<TEntity, TDto> Selection)
{
    /// <summary>The columns the list shows after its name column.</summary>
    public IReadOnlyList<ListField<TEntity, TDto>> Columns => Selection.Columns;
}
