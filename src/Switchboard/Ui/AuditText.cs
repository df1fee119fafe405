namespace Switchboard.Ui;

/// <summary>Audit change values and field names as people read them.</summary>
public static class AuditText
{
    public static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => "—",
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : "—",
        JsonValueKind.True => "Yes",
        JsonValueKind.False => "No",
        _ => value.GetRawText(),
    };

    /// <summary>"firstName" → "First name".</summary>
    public static string FieldLabel(string camelCase)
    {
        if (camelCase.EndsWith("Id", StringComparison.Ordinal) && camelCase.Length > 2) camelCase = camelCase[..^2];
        var words = new System.Text.StringBuilder();
        foreach (var c in camelCase)
        {
            if (char.IsUpper(c) && words.Length > 0) words.Append(' ').Append(char.ToLowerInvariant(c));
            else words.Append(words.Length == 0 ? char.ToUpperInvariant(c) : c);
        }
        return words.ToString();
    }

    /// <summary>
    /// One line per changed field: entity changes are { field: { old, new } }; other events carry free-form
    /// details, shown as "key: value" with nested objects abbreviated.
    /// </summary>
    public static IReadOnlyList<(string Field, string? Old, string New)> Changes(JsonElement? changes, IReadOnlyDictionary<Guid, string>? names = null)
    {
        if (changes is not { ValueKind: JsonValueKind.Object } json) return [];
        var list = new List<(string, string?, string)>();
        foreach (var property in json.EnumerateObject())
        {
            if (property.Name == "id") continue;
            var value = property.Value;
            var isChange = value.ValueKind == JsonValueKind.Object && (value.TryGetProperty("old", out _) || value.TryGetProperty("new", out _));
            var old = isChange ? Get(value, "old") : default;
            if (isChange && old.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
                list.Add((FieldLabel(property.Name), null, Named(Get(value, "new"), names)));
            else if (isChange)
                list.Add((FieldLabel(property.Name), Named(old, names), Named(Get(value, "new"), names)));
            else
                list.Add((FieldLabel(property.Name), null, Abbreviate(value)));
        }
        return list;
    }

    /// <summary>A user id shown as the person's name when it is a member of the tenant.</summary>
    private static string Named(JsonElement value, IReadOnlyDictionary<Guid, string>? names) =>
        names is not null && value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id) && names.TryGetValue(id, out var name)
            ? name
            : Value(value);

    private static JsonElement Get(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) ? v : default;

    private static string Abbreviate(JsonElement value)
    {
        var text = value.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? value.GetRawText() : Value(value);
        return text.Length > 160 ? text[..157] + "…" : text;
    }
}
