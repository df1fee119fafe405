using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore.Query;
using Switchboard.Features.CustomFields;

namespace Switchboard.Features.Lists;

/// <summary>
/// A custom field as a list column, <c>custom.&lt;key&gt;</c>. Values are normalized as a write would store them
/// (<see cref="CustomFieldSet.TryNormalize"/>), so "YES" finds true and "gold" finds "Gold"; equality is jsonb
/// containment, ranges compare the stored number or yyyy-MM-dd text.
/// </summary>
public sealed class CustomListField<TEntity, TDto>(
    CustomFieldDto field, Expression<Func<TEntity, JsonDocument>> column, Func<TDto, JsonElement?> values)
    : ListField<TEntity, TDto>(CustomFieldQueries.Prefix + field.Key, field.Label, KindOf(field.Type))
{
    public CustomFieldDto Field { get; } = field;
    public override IReadOnlyList<string> Options => Field.Options;
    public override bool Choosable => Field.Active;

    public static FieldKind KindOf(string type) => type switch
    {
        CustomFieldTypes.Number or CustomFieldTypes.Currency => FieldKind.Number,
        CustomFieldTypes.Date => FieldKind.Date,
        CustomFieldTypes.Boolean => FieldKind.Boolean,
        CustomFieldTypes.SingleSelect => FieldKind.Enum,
        CustomFieldTypes.MultiSelect => FieldKind.Options,
        _ => FieldKind.Text,
    };

    public override object? ValueOf(TDto row)
    {
        if (values(row) is not { ValueKind: JsonValueKind.Object } custom || !custom.TryGetProperty(Field.Key, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            // An amount shows its cents: adding 0.00m gives the decimal a scale of at least 2 (1250.5 → 1250.50).
            JsonValueKind.Number => Field.Type == CustomFieldTypes.Currency ? value.GetDecimal() + 0.00m : value.GetDecimal(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Array => value.EnumerateArray().Select(v => v.ToString()).ToList(),
            _ => null,
        };
    }

    public override Expression<Func<TEntity, bool>>? Predicate(ListFilter filter, ListContext ctx, out string error)
    {
        error = "";
        var key = Field.Key;
        switch (filter.Op)
        {
            case FilterOps.Empty:
                return Compose(c => !EF.Functions.JsonExists(c, key));
            case FilterOps.NotEmpty:
                return Compose(c => EF.Functions.JsonExists(c, key));
            case FilterOps.Contains when Kind == FieldKind.Text:
            case FilterOps.Starts when Kind == FieldKind.Text:
                var term = filter.Value?.Trim() ?? "";
                if (term.Length == 0)
                {
                    error = $"Give a value to filter {Label} by.";
                    return null;
                }
                var pattern = filter.Op == FilterOps.Contains ? LikePatterns.Contains(term) : StandardField<TEntity, TDto>.Escape(term) + "%";
                return Compose(c => EF.Functions.ILike(c.RootElement.GetProperty(key).GetString()!, pattern, LikePatterns.Escape));
        }

        var texts = filter.Op == FilterOps.In ? (filter.Value ?? "").Split(FilterOps.InSeparator) : [filter.Value ?? ""];
        var normalized = new List<JsonNode>();
        foreach (var text in texts.Where(t => !string.IsNullOrWhiteSpace(t)))
        {
            if (!CustomFieldSet.TryNormalize(Field, JsonSerializer.SerializeToElement(text), out var value, out error)) return null;
            if (value is not null) normalized.Add(value);
        }
        if (normalized.Count == 0)
        {
            error = $"Give a value to filter {Label} by.";
            return null;
        }

        switch (filter.Op)
        {
            case FilterOps.Eq or FilterOps.Contains:
                return Contained(normalized[0]);
            case FilterOps.Ne:
                var contained = Document(normalized[0]);
                return Compose(c => !EF.Functions.JsonContains(c, contained));
            case FilterOps.In:
                // A multi-select matches when it holds any of the options, each given as its own one-item set.
                var any = normalized.SelectMany(n => n is JsonArray array ? array.Select(a => (JsonNode)new JsonArray(a!.DeepClone())) : [n])
                    .Select(Contained).ToList();
                var row = Expression.Parameter(typeof(TEntity), "row");
                var body = any.Select(p => ReplacingExpressionVisitor.Replace(p.Parameters[0], row, p.Body)).Aggregate(Expression.OrElse);
                return Expression.Lambda<Func<TEntity, bool>>(body, row);
        }

        var bound = normalized[0];
        if (Kind == FieldKind.Number)
        {
            var number = bound.GetValue<decimal>();
            return filter.Op switch
            {
                FilterOps.Gt => Compose(c => c.RootElement.GetProperty(key).GetDecimal() > number),
                FilterOps.Gte => Compose(c => c.RootElement.GetProperty(key).GetDecimal() >= number),
                FilterOps.Lt => Compose(c => c.RootElement.GetProperty(key).GetDecimal() < number),
                FilterOps.Lte => Compose(c => c.RootElement.GetProperty(key).GetDecimal() <= number),
                _ => Unsupported(filter, out error),
            };
        }
        if (Kind == FieldKind.Date)
        {
            // Stored as yyyy-MM-dd, so text order is date order.
            var date = bound.GetValue<string>();
            return filter.Op switch
            {
                FilterOps.Gt => Compose(c => string.Compare(c.RootElement.GetProperty(key).GetString(), date) > 0),
                FilterOps.Gte => Compose(c => string.Compare(c.RootElement.GetProperty(key).GetString(), date) >= 0),
                FilterOps.Lt => Compose(c => string.Compare(c.RootElement.GetProperty(key).GetString(), date) < 0),
                FilterOps.Lte => Compose(c => string.Compare(c.RootElement.GetProperty(key).GetString(), date) <= 0),
                _ => Unsupported(filter, out error),
            };
        }
        return Unsupported(filter, out error);
    }

    private Expression<Func<TEntity, bool>>? Unsupported(ListFilter filter, out string error)
    {
        error = $"'{filter.Op}' cannot be used with {Label}. Use one of: {string.Join(", ", Operators)}.";
        return null;
    }

    private string Document(JsonNode value) => new JsonObject { [Field.Key] = value.DeepClone() }.ToJsonString();

    private Expression<Func<TEntity, bool>> Contained(JsonNode value)
    {
        var document = Document(value);
        return Compose(c => EF.Functions.JsonContains(c, document));
    }

    /// <summary>Numbers and amounts by their value; the rest by the stored text (dates are yyyy-MM-dd, so in date order).</summary>
    public override LambdaExpression? SortKey
    {
        get
        {
            var key = Field.Key;
            return Kind == FieldKind.Number
                ? Over<decimal>(c => c.RootElement.GetProperty(key).GetDecimal())
                : Over<string?>(c => c.RootElement.GetProperty(key).GetString());
        }
    }

    /// <summary>The condition on the custom document, applied to the row's custom column.</summary>
    private Expression<Func<TEntity, bool>> Compose(Expression<Func<JsonDocument, bool>> condition) => Over(condition);

    /// <summary>An expression over the custom document, applied to the row's custom column.</summary>
    private Expression<Func<TEntity, T>> Over<T>(Expression<Func<JsonDocument, T>> expression) =>
        Expression.Lambda<Func<TEntity, T>>(
            ReplacingExpressionVisitor.Replace(expression.Parameters[0], column.Body, expression.Body), column.Parameters);
}
