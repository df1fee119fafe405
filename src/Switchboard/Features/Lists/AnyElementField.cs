using System.Linq.Expressions;

namespace Switchboard.Features.Lists;

/// <summary>
/// A text field held as a list (a contact's emails or phones): a condition matches when any element matches it,
/// "is not" when none is equal, "empty" when the list has no element. Each element is compared exactly as a
/// <see cref="StandardField{TEntity,TDto}"/> text column is (case-insensitive, the user's % and _ literal); the
/// value shown and exported is the row's first element, its primary one.
/// </summary>
public sealed class AnyElementField<TEntity, TDto> : ListField<TEntity, TDto>
{
    private readonly Expression _list;
    private readonly ParameterExpression _row;
    private readonly StandardField<string, TDto> _element;
    private readonly Func<TDto, object?> _value;

    public AnyElementField(string key, string label, Expression<Func<TEntity, List<string>>> list, Func<TDto, object?> value)
        : base(key, label, FieldKind.Text)
    {
        _list = list.Body;
        _row = list.Parameters[0];
        _value = value;
        _element = new StandardField<string, TDto>(key, label, FieldKind.Text, (Expression<Func<string, string?>>)(e => e), value);
    }

    public override object? ValueOf(TDto row) => _value(row);

    /// <summary>The first element, the primary one (what the column shows).</summary>
    public override LambdaExpression? SortKey =>
        Expression.Lambda(Expression.Call(_list, typeof(List<string>).GetMethod("get_Item")!, Expression.Constant(0)), _row);

    public override Expression<Func<TEntity, bool>>? Predicate(ListFilter filter, ListContext ctx, out string error)
    {
        error = "";
        Expression? body = filter.Op switch
        {
            FilterOps.Empty => Expression.Not(AnyElement(null)),
            FilterOps.NotEmpty => AnyElement(null),
            FilterOps.Ne => _element.Predicate(filter with { Op = FilterOps.Eq }, ctx, out error) is { } equal ? Expression.Not(AnyElement(equal)) : null,
            _ => _element.Predicate(filter, ctx, out error) is { } matches ? AnyElement(matches) : null,
        };
        return body is null ? null : Expression.Lambda<Func<TEntity, bool>>(body, _row);
    }

    /// <summary><c>list.Any()</c>, or <c>list.Any(condition)</c>: PostgreSQL's <c>exists (select from unnest(list) …)</c>.</summary>
    private Expression AnyElement(Expression<Func<string, bool>>? condition) => condition is null
        ? Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(string)], _list)
        : Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(string)], _list, condition);
}
