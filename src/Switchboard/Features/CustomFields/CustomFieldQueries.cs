using System.Text.Json.Nodes;

namespace Switchboard.Features.CustomFields;

/// <summary>
/// List filters and sorts on custom fields, shared by every entity list: <c>custom.&lt;key&gt;=value</c> query
/// parameters and <c>sort=custom.&lt;key&gt;</c>.
/// </summary>
public static class CustomFieldQueries
{
    public const string Prefix = "custom.";

    /// <summary>The custom.* query parameters of a request, keyed without the prefix.</summary>
    public static IReadOnlyDictionary<string, string> FromQuery(IQueryCollection query) =>
        query.Where(q => q.Key.StartsWith(Prefix, StringComparison.Ordinal) && q.Key.Length > Prefix.Length)
            .ToDictionary(q => q.Key[Prefix.Length..], q => q.Value.ToString(), StringComparer.Ordinal);

    /// <summary>
    /// Each filter as a jsonb document the row's <c>custom</c> must contain (<c>EF.Functions.JsonContains</c>): the
    /// value normalized like a write, so "YES" finds true and "gold" finds "Gold"; a multi-select matches rows that
    /// include the option.
    /// </summary>
    public static IReadOnlyList<string> Filters(CustomFieldSet fields, IReadOnlyDictionary<string, string>? filters, ValidationErrors errors)
    {
        var contained = new List<string>();
        foreach (var (key, text) in filters ?? new Dictionary<string, string>())
        {
            var errorKey = CustomFieldSet.ErrorKey(key);
            if (fields.Find(key) is not { } field)
            {
                errors.Add(errorKey, $"'{key}' is not a custom field of this {fields.Entity}.");
                continue;
            }
            if (!CustomFieldSet.TryNormalize(field, JsonSerializer.SerializeToElement(text), out var value, out var error))
            {
                errors.Add(errorKey, error);
                continue;
            }
            if (value is null)
            {
                errors.Add(errorKey, $"Give a value to filter {field.Label} by.");
                continue;
            }
            contained.Add(new JsonObject { [field.Key] = value }.ToJsonString());
        }
        return contained;
    }
}
