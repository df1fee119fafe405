using System.Text.Json.Nodes;
using Switchboard.Features.CustomFields;

namespace Switchboard.Ui.Forms;

/// <summary>
/// Custom field inputs of an entity form (posted as <c>custom.&lt;key&gt;</c>, one value per input, several for a
/// multi-select): read from the request, turned into the <c>custom</c> object a service validates, re-shown with
/// errors. Reusable by any entity's form with the <c>_CustomFieldInputs</c> partial.
/// </summary>
public sealed record CustomFieldForm(CustomFieldSet Fields, IReadOnlyDictionary<string, string[]> Values, Func<string, string?> ErrorFor)
{
    public const string InputPrefix = "custom.";

    public string Value(string key) => Values.TryGetValue(key, out var values) && values.Length > 0 ? values[0] : "";

    public bool IsChosen(string key, string option) => Values.TryGetValue(key, out var values) && values.Contains(option, StringComparer.Ordinal);

    public static Dictionary<string, string[]> FromRequest(IFormCollection form) =>
        form.Where(f => f.Key.StartsWith(InputPrefix, StringComparison.Ordinal))
            .ToDictionary(f => f.Key[InputPrefix.Length..], f => f.Value.Select(v => v ?? "").ToArray(), StringComparer.Ordinal);

    /// <summary>Stored values as the inputs show them (numbers in invariant culture, booleans as true/false).</summary>
    public static Dictionary<string, string[]> FromJson(JsonElement? custom)
    {
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (custom is not { ValueKind: JsonValueKind.Object } json) return values;
        foreach (var property in json.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Array => property.Value.EnumerateArray().Select(Text).ToArray(),
                _ => [Text(property.Value)],
            };
        }
        return values;
    }

    /// <summary>The <c>custom</c> object for the service: every active field on the form, blank as null (clears it).</summary>
    public static JsonObject ToJson(CustomFieldSet fields, IReadOnlyDictionary<string, string[]> values)
    {
        var custom = new JsonObject();
        foreach (var field in fields.Active)
        {
            var posted = values.TryGetValue(field.Key, out var v) ? v.Where(s => !string.IsNullOrWhiteSpace(s)).ToArray() : [];
            custom[field.Key] = posted.Length == 0 ? null
                : field.Type == CustomFieldTypes.MultiSelect ? new JsonArray(posted.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray())
                : JsonValue.Create(posted[0]);
        }
        return custom;
    }

    /// <summary>A stored value as text for a details page.</summary>
    public static string Display(CustomFieldDto field, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => "Yes",
        JsonValueKind.False => "No",
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Text)),
        JsonValueKind.Number when field.Type == CustomFieldTypes.Currency && value.TryGetDecimal(out var amount) => amount.ToString("#,##0.00", CultureInfo.InvariantCulture),
        _ => Text(value),
    };

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };
}

/// <summary>The model of <c>_CustomValues</c>: an entity's active custom fields as &lt;dt&gt;/&lt;dd&gt; pairs inside a details list.</summary>
public sealed record CustomValues(string Entity, JsonElement? Custom);
