using System.Text.Json.Serialization;

namespace Switchboard.Features.Lists;

/// <summary>
/// One condition of a list: <c>filter.&lt;field&gt;=&lt;op&gt;:&lt;value&gt;</c> in a query string, or
/// <c>{ "field", "op", "value" }</c> in a saved view. Conditions on the same or different fields all apply (AND).
/// A member it does not have is an error when a view's definition is read.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ListFilter(string Field, string Op, string? Value)
{
    public const string QueryPrefix = "filter.";

    /// <summary>
    /// The text after <c>filter.&lt;field&gt;=</c>: "op:value", "op" for empty/notempty, or a bare value meaning eq.
    /// Whatever precedes the first ':' must then be an operator (write eq:a:b to match "a:b").
    /// </summary>
    public static ListFilter Parse(string field, string text)
    {
        var colon = text.IndexOf(':');
        if (colon < 0)
            return FilterOps.IsValueless(text) ? new ListFilter(field, text, null) : new ListFilter(field, FilterOps.Eq, text);
        return new ListFilter(field, text[..colon], text[(colon + 1)..]);
    }

    /// <summary>The query-string form of the condition's right-hand side.</summary>
    [JsonIgnore]
    public string QueryValue => Value is null ? Op : $"{Op}:{Value}";

    /// <summary>The filter.* parameters of a request (each value of a repeated key is its own condition).</summary>
    public static IReadOnlyList<ListFilter> FromQuery(IQueryCollection query) =>
        query.Where(q => q.Key.StartsWith(QueryPrefix, StringComparison.Ordinal) && q.Key.Length > QueryPrefix.Length)
            .SelectMany(q => q.Value.Select(v => Parse(q.Key[QueryPrefix.Length..], v ?? "")))
            .ToList();
}

public static class FilterOps
{
    public const string Eq = "eq";
    public const string Ne = "ne";
    public const string Contains = "contains";
    public const string Starts = "starts";
    public const string Gt = "gt";
    public const string Gte = "gte";
    public const string Lt = "lt";
    public const string Lte = "lte";
    public const string Empty = "empty";
    public const string NotEmpty = "notempty";
    public const string In = "in";

    /// <summary>Separates the values of <c>in</c> (a comma is too common in company names).</summary>
    public const char InSeparator = '|';

    public static readonly IReadOnlyList<string> All = [Eq, Ne, Contains, Starts, Gt, Gte, Lt, Lte, Empty, NotEmpty, In];

    public static bool IsValueless(string op) => op is Empty or NotEmpty;

    /// <summary>What each kind of field can be filtered with.</summary>
    public static IReadOnlyList<string> For(FieldKind kind) => kind switch
    {
        FieldKind.Text => [Eq, Ne, Contains, Starts, Empty, NotEmpty, In],
        FieldKind.Number or FieldKind.Date or FieldKind.DateTime => [Eq, Ne, Gt, Gte, Lt, Lte, Empty, NotEmpty],
        FieldKind.Enum or FieldKind.Owner or FieldKind.Reference => [Eq, Ne, In, Empty, NotEmpty],
        FieldKind.Boolean => [Eq, Ne],
        FieldKind.Options => [Eq, Ne, Contains, In, Empty, NotEmpty],
        _ => [],
    };

    public static string Label(string op) => op switch
    {
        Eq => "is",
        Ne => "is not",
        Contains => "contains",
        Starts => "starts with",
        Gt => "after / more than",
        Gte => "on or after / at least",
        Lt => "before / less than",
        Lte => "on or before / at most",
        Empty => "is empty",
        NotEmpty => "is not empty",
        In => "is any of",
        _ => op,
    };
}

/// <summary>How a field's values are typed, which decides its operators, parsing and formatting.</summary>
public enum FieldKind
{
    Text,
    Number,
    Date,
    DateTime,
    Enum,
    Owner,
    Reference,
    Boolean,

    /// <summary>A multi-select custom field: a set of options.</summary>
    Options,
}
