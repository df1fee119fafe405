using System.Linq.Expressions;
using Switchboard.Platform;

namespace Switchboard.Features.Lists;

/// <summary>
/// A column of the entity's table, filtered through an expression tree built around the field's selector. User
/// values reach SQL only as query parameters (<see cref="Box{T}"/> members, which EF extracts like closure values).
/// </summary>
public sealed class StandardField<TEntity, TDto>(
    string key, string label, FieldKind kind, LambdaExpression selector, Func<TDto, object?> value, IReadOnlyList<string>? options = null)
    : ListField<TEntity, TDto>(key, label, kind)
{
    private readonly Expression _body = selector.Body;
    private readonly ParameterExpression _row = selector.Parameters[0];

    public override IReadOnlyList<string> Options => options ?? [];

    /// <summary>The column itself; owners and references would sort by id, which means nothing to a reader.</summary>
    public override LambdaExpression? SortKey => Kind is FieldKind.Owner or FieldKind.Reference ? null : selector;

    public override object? ValueOf(TDto row) => value(row);

    public override Expression<Func<TEntity, bool>>? Predicate(ListFilter filter, ListContext ctx, out string error)
    {
        error = "";
        var body = filter.Op switch
        {
            FilterOps.Empty => IsEmpty(),
            FilterOps.NotEmpty => Expression.Not(IsEmpty()),
            _ => Kind == FieldKind.Text ? TextCondition(filter, out error) : ValueCondition(filter, ctx, out error),
        };
        return body is null ? null : Expression.Lambda<Func<TEntity, bool>>(body, _row);
    }

    private bool Nullable => !_body.Type.IsValueType || System.Nullable.GetUnderlyingType(_body.Type) is not null;

    private Expression IsEmpty()
    {
        if (!Nullable) return Expression.Constant(false);
        var isNull = Expression.Equal(_body, Expression.Constant(null, _body.Type));
        return _body.Type == typeof(string) ? Expression.OrElse(isNull, Expression.Equal(_body, Expression.Constant(""))) : isNull;
    }

    private Expression? TextCondition(ListFilter filter, out string error)
    {
        error = "";
        var text = filter.Value?.Trim() ?? "";
        if (text.Length == 0)
        {
            error = $"Give a value to filter {Label} by.";
            return null;
        }
        var escaped = Escape(text);
        return filter.Op switch
        {
            FilterOps.Eq => ILike(escaped),
            FilterOps.Ne => Expression.OrElse(Expression.Equal(_body, Expression.Constant(null, typeof(string))), Expression.Not(ILike(escaped))),
            FilterOps.Contains => ILike(LikePatterns.Contains(text)),
            FilterOps.Starts => ILike(escaped + "%"),
            FilterOps.In => text.Split(FilterOps.InSeparator).Select(t => t.Trim()).Where(t => t.Length > 0)
                .Select(t => ILike(Escape(t))).Aggregate((Expression)Expression.Constant(false), Expression.OrElse),
            _ => null,
        };
    }

    /// <summary>The term with its own %, _ and \ escaped, for a case-insensitive equality through ILIKE.</summary>
    internal static string Escape(string term) => LikePatterns.Contains(term)[1..^1];

    private Expression ILike(string pattern) =>
        Expression.Call(ILikeMethod, Expression.Constant(EF.Functions), _body, Box.Of(pattern), Expression.Constant(LikePatterns.Escape));

    private static readonly System.Reflection.MethodInfo ILikeMethod = typeof(NpgsqlDbFunctionsExtensions).GetMethod(
        nameof(NpgsqlDbFunctionsExtensions.ILike), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    private Expression? ValueCondition(ListFilter filter, ListContext ctx, out string error)
    {
        error = "";
        var texts = filter.Op == FilterOps.In
            ? (filter.Value ?? "").Split(FilterOps.InSeparator).Select(t => t.Trim()).Where(t => t.Length > 0).ToList()
            : [filter.Value?.Trim() ?? ""];
        if (texts.Count == 0 || texts.Any(t => t.Length == 0))
        {
            error = $"Give a value to filter {Label} by.";
            return null;
        }
        if (Kind == FieldKind.DateTime) return DayCondition(filter.Op, texts[0], ctx, out error);

        var values = new List<object>();
        foreach (var text in texts)
        {
            if (!TryParse(text, ctx, out var parsed, out error)) return null;
            values.Add(parsed);
        }
        if (filter.Op == FilterOps.In) return In(values);
        var parameter = Box.Of(values[0], _body.Type);
        return filter.Op switch
        {
            FilterOps.Eq => Expression.Equal(_body, parameter),
            FilterOps.Ne => Nullable
                ? Expression.OrElse(Expression.Equal(_body, Expression.Constant(null, _body.Type)), Expression.NotEqual(_body, parameter))
                : Expression.NotEqual(_body, parameter),
            FilterOps.Gt => Expression.GreaterThan(_body, parameter),
            FilterOps.Gte => Expression.GreaterThanOrEqual(_body, parameter),
            FilterOps.Lt => Expression.LessThan(_body, parameter),
            FilterOps.Lte => Expression.LessThanOrEqual(_body, parameter),
            _ => null,
        };
    }

    private Expression In(List<object> values)
    {
        var array = Array.CreateInstance(_body.Type, values.Count);
        for (var i = 0; i < values.Count; i++) array.SetValue(values[i], i);
        var contains = typeof(Enumerable).GetMethods().Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2)
            .MakeGenericMethod(_body.Type);
        return Expression.Call(contains, Box.Of(array, array.GetType()), _body);
    }

    /// <summary>A yyyy-MM-dd day of the tenant's calendar, as the instants it spans.</summary>
    private Expression? DayCondition(string op, string text, ListContext ctx, out string error)
    {
        error = "";
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            error = $"{Label} must be compared with a date as yyyy-MM-dd, e.g. 2026-03-31.";
            return null;
        }
        var start = Box.Of(TimeZones.StartOfDayUtc(day, ctx.Zone), _body.Type);
        var end = Box.Of(TimeZones.StartOfDayUtc(day.AddDays(1), ctx.Zone), _body.Type);
        return op switch
        {
            FilterOps.Eq => Expression.AndAlso(Expression.GreaterThanOrEqual(_body, start), Expression.LessThan(_body, end)),
            FilterOps.Ne => Expression.Not(Expression.AndAlso(Expression.GreaterThanOrEqual(_body, start), Expression.LessThan(_body, end))),
            FilterOps.Gt => Expression.GreaterThanOrEqual(_body, end),
            FilterOps.Gte => Expression.GreaterThanOrEqual(_body, start),
            FilterOps.Lt => Expression.LessThan(_body, start),
            FilterOps.Lte => Expression.LessThan(_body, end),
            _ => null,
        };
    }

    private bool TryParse(string text, ListContext ctx, out object value, out string error)
    {
        value = null!;
        error = "";
        var type = System.Nullable.GetUnderlyingType(_body.Type) ?? _body.Type;
        switch (Kind)
        {
            case FieldKind.Number:
                if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                    return Fail($"{Label} must be compared with a number, e.g. 42 or 3.5.", out error);
                try
                {
                    value = Convert.ChangeType(number, type, CultureInfo.InvariantCulture);
                }
                catch (OverflowException)
                {
                    return Fail($"{text} is out of range for {Label}.", out error);
                }
                return true;
            case FieldKind.Date:
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    return Fail($"{Label} must be compared with a date as yyyy-MM-dd, e.g. 2026-03-31.", out error);
                value = date;
                return true;
            case FieldKind.Owner when text.Equals("me", StringComparison.OrdinalIgnoreCase):
                if (ctx.UserId is not { } self) return Fail("'me' needs a signed-in user.", out error);
                value = self;
                return true;
            case FieldKind.Owner or FieldKind.Reference:
                if (!Guid.TryParse(text, out var id))
                    return Fail(Kind == FieldKind.Owner ? $"{Label} must be a user id or 'me'." : $"{Label} must be an id.", out error);
                value = id;
                return true;
            case FieldKind.Boolean:
                bool? flag = text.ToLowerInvariant() switch { "true" or "yes" or "1" => true, "false" or "no" or "0" => false, _ => null };
                if (flag is null) return Fail($"{Label} must be true or false.", out error);
                value = flag.Value;
                return true;
            case FieldKind.Enum:
                var option = Options.FirstOrDefault(o => o.Equals(text, StringComparison.OrdinalIgnoreCase));
                if (option is null) return Fail($"'{text}' is not a {Label.ToLowerInvariant()}. Use one of: {string.Join(", ", Options)}.", out error);
                value = type.IsEnum ? Enum.Parse(type, option, ignoreCase: true) : option;
                return true;
            default:
                return Fail($"{Label} cannot be filtered this way.", out error);
        }
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}

/// <summary>A value held in an object, so that EF sends it as a parameter rather than inlining a constant.</summary>
public sealed class Box<T>(T value)
{
    public T Value { get; } = value;
}

public static class Box
{
    public static Expression Of<T>(T value) => Expression.Property(Expression.Constant(new Box<T>(value)), nameof(Box<T>.Value));

    public static Expression Of(object value, Type type)
    {
        var box = Activator.CreateInstance(typeof(Box<>).MakeGenericType(type), value)!;
        return Expression.Property(Expression.Constant(box), "Value");
    }
}
