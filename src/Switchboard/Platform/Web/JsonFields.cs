
namespace Switchboard.Platform.Web;

/// <summary>
/// Reads a JSON object field by field with clear per-field errors (wrong type, unknown field), so
/// POST and PATCH share one parser and a merge patch can tell "absent" from "set to null".
/// </summary>
public sealed class JsonFields
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);

    public JsonFields(JsonElement body, IReadOnlyCollection<string> allowed, ValidationErrors errors)
    {
        Errors = errors;
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "The request body must be a JSON object.");
            return;
        }
        foreach (var property in body.EnumerateObject())
        {
            if (!allowed.Contains(property.Name)) errors.Add(property.Name, $"'{property.Name}' is not a known field.");
            else _fields[property.Name] = property.Value;
        }
    }

    public ValidationErrors Errors { get; }

    public bool Has(string name) => _fields.ContainsKey(name);

    /// <summary>The field's JSON as sent, for values stored as JSON (provider settings).</summary>
    public JsonElement? Raw(string name) => _fields.TryGetValue(name, out var value) ? value : null;

    public Optional<string?> String(string name)
    {
        if (!_fields.TryGetValue(name, out var value)) return Optional<string?>.Unset;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null: return Optional<string?>.Of(null);
            case JsonValueKind.String when TextOf(value) is { } raw:
                var text = raw.Trim();
                return Optional<string?>.Of(text.Length == 0 ? null : text);
            case JsonValueKind.String:
                Errors.Add(name, $"'{name}' is not valid text.");
                return Optional<string?>.Unset;
            default:
                Errors.Add(name, $"'{name}' must be a string.");
                return Optional<string?>.Unset;
        }
    }

    public Optional<Guid?> Guid(string name)
    {
        if (!_fields.TryGetValue(name, out var value)) return Optional<Guid?>.Unset;
        if (value.ValueKind == JsonValueKind.Null) return Optional<Guid?>.Of(null);
        if (value.ValueKind == JsonValueKind.String && System.Guid.TryParse(TextOf(value), out var id)) return Optional<Guid?>.Of(id);
        Errors.Add(name, $"'{name}' must be a UUID.");
        return Optional<Guid?>.Unset;
    }

    public Optional<int?> Int(string name)
    {
        if (!_fields.TryGetValue(name, out var value)) return Optional<int?>.Unset;
        if (value.ValueKind == JsonValueKind.Null) return Optional<int?>.Of(null);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return Optional<int?>.Of(number);
        Errors.Add(name, $"'{name}' must be a whole number.");
        return Optional<int?>.Unset;
    }

    public Optional<bool?> Bool(string name)
    {
        if (!_fields.TryGetValue(name, out var value)) return Optional<bool?>.Unset;
        return value.ValueKind switch
        {
            JsonValueKind.Null => Optional<bool?>.Of(null),
            JsonValueKind.True => Optional<bool?>.Of(true),
            JsonValueKind.False => Optional<bool?>.Of(false),
            _ => Fail(),
        };

        Optional<bool?> Fail()
        {
            Errors.Add(name, $"'{name}' must be true or false.");
            return Optional<bool?>.Unset;
        }
    }

    /// <summary>The string's text, or null when it escapes an unpaired surrogate ("\udc00"): valid JSON, but not text.</summary>
    private static string? TextOf(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A string restricted to a fixed set of values (an enum on the wire).</summary>
    public Optional<string?> OneOf(string name, IReadOnlyCollection<string> values)
    {
        var text = String(name);
        if (text is { IsSet: true, Value: { } v } && !values.Contains(v))
        {
            Errors.Add(name, $"'{v}' is not a valid {name}. Use one of: {string.Join(", ", values)}.");
            return Optional<string?>.Unset;
        }
        return text;
    }
}
