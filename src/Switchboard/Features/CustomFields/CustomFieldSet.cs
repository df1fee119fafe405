using System.Text.Json.Nodes;

namespace Switchboard.Features.CustomFields;

/// <summary>
/// One entity's field definitions, loaded once: checks and normalizes values synchronously, so an import can
/// validate thousands of rows without a query per row. Errors are named <c>custom.&lt;key&gt;</c>.
/// </summary>
public sealed class CustomFieldSet
{
    public const int MaxTextLength = 2000;
    private readonly Dictionary<string, CustomFieldDto> _byKey;

    public CustomFieldSet(string entity, IEnumerable<CustomFieldDto> fields)
    {
        Entity = entity;
        All = fields.OrderBy(f => f.Position).ThenBy(f => f.Key, StringComparer.Ordinal).ToList();
        _byKey = All.ToDictionary(f => f.Key, StringComparer.Ordinal);
    }

    public string Entity { get; }

    /// <summary>Every definition, retired ones included, in display order.</summary>
    public IReadOnlyList<CustomFieldDto> All { get; }

    /// <summary>The fields forms show and writes may set.</summary>
    public IEnumerable<CustomFieldDto> Active => All.Where(f => f.Active);

    public CustomFieldDto? Find(string key) => _byKey.GetValueOrDefault(key);

    public static string ErrorKey(string key) => "custom." + key;

    /// <summary>
    /// Merges <paramref name="incoming"/> (a JSON object; null removes a key) into <paramref name="existing"/> and
    /// validates it: unknown or retired keys, types, options, and required fields (all present on create; never
    /// cleared on update). A value sent unchanged is kept as stored, even if its option was since removed.
    /// </summary>
    public JsonDocument? Validate(JsonElement? incoming, JsonElement? existing, bool isCreate, ValidationErrors errors)
    {
        var merged = existing is { ValueKind: JsonValueKind.Object } old ? JsonNode.Parse(old.GetRawText())!.AsObject() : new JsonObject();
        var valid = true;
        var failed = new HashSet<string>(StringComparer.Ordinal);
        if (incoming is { } body && body.ValueKind != JsonValueKind.Null)
        {
            if (body.ValueKind != JsonValueKind.Object)
            {
                errors.Add("custom", "'custom' must be a JSON object of field keys and values.");
                return null;
            }
            foreach (var property in body.EnumerateObject())
            {
                var errorKey = ErrorKey(property.Name);
                var field = Find(property.Name);
                if (field is null)
                {
                    errors.Add(errorKey, $"'{property.Name}' is not a custom field of this {Entity}.");
                    valid = false;
                    failed.Add(property.Name);
                    continue;
                }
                if (merged[property.Name] is { } stored && JsonNode.DeepEquals(stored, JsonNode.Parse(property.Value.GetRawText())))
                    continue;
                if (!TryNormalize(field, property.Value, out var value, out var error))
                {
                    errors.Add(errorKey, error);
                    valid = false;
                    failed.Add(property.Name);
                    continue;
                }
                if (value is not null && !field.Active)
                {
                    errors.Add(errorKey, $"{field.Label} is retired and can no longer be set.");
                    valid = false;
                    failed.Add(property.Name);
                    continue;
                }
                if (value is null)
                {
                    if (field.Required && field.Active && !isCreate && merged.ContainsKey(field.Key))
                    {
                        errors.Add(errorKey, $"{field.Label} is required and cannot be cleared.");
                        valid = false;
                        failed.Add(property.Name);
                    }
                    merged.Remove(field.Key);
                }
                else merged[field.Key] = value;
            }
        }
        if (isCreate)
        {
            foreach (var field in Active.Where(f => f.Required && !merged.ContainsKey(f.Key)))
            {
                if (failed.Contains(field.Key)) continue;
                errors.Add(ErrorKey(field.Key), $"{field.Label} is required.");
                valid = false;
            }
        }
        return valid ? JsonDocument.Parse(merged.ToJsonString()) : null;
    }

    /// <summary>
    /// One value, as sent by the API, a form or an import cell, to the stored JSON; null (or blank text) means
    /// "no value". False with a message for the user when the value does not fit the field.
    /// </summary>
    public static bool TryNormalize(CustomFieldDto field, JsonElement value, out JsonNode? normalized, out string error)
    {
        normalized = null;
        error = "";
        if (value.ValueKind == JsonValueKind.Null) return true;
        if (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString())) return true;
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        switch (field.Type)
        {
            case CustomFieldTypes.Text:
                if (text is null) return Fail($"{field.Label} must be text.", out error);
                if (text.Length > MaxTextLength) return Fail($"{field.Label} must be at most {MaxTextLength} characters.", out error);
                normalized = JsonValue.Create(text);
                return true;
            case CustomFieldTypes.Number:
                if (!TryDecimal(value, text, out var number)) return Fail($"{field.Label} must be a number, e.g. 42 or 3.5.", out error);
                normalized = JsonValue.Create(number);
                return true;
            case CustomFieldTypes.Currency:
                if (!TryDecimal(value, text, out var amount) || amount.Scale > 2 && amount != Math.Round(amount, 2))
                    return Fail($"{field.Label} must be an amount with at most 2 decimal places, e.g. 1250.50.", out error);
                normalized = JsonValue.Create(Math.Round(amount, 2));
                return true;
            case CustomFieldTypes.Date:
                if (text is null || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    return Fail($"{field.Label} must be a date as yyyy-MM-dd, e.g. 2026-03-31.", out error);
                normalized = JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return true;
            case CustomFieldTypes.Boolean:
                bool? flag = value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.String => text!.ToLowerInvariant() switch
                    {
                        "true" or "yes" or "1" or "y" => true,
                        "false" or "no" or "0" or "n" => false,
                        _ => null,
                    },
                    _ => null,
                };
                if (flag is null) return Fail($"{field.Label} must be true or false (yes/no, 1/0 in imports).", out error);
                normalized = JsonValue.Create(flag.Value);
                return true;
            case CustomFieldTypes.SingleSelect:
                if (text is null) return Fail($"{field.Label} must be one of: {string.Join(", ", field.Options)}.", out error);
                if (MatchOption(field, text) is not { } option) return Fail($"'{text}' is not an option of {field.Label}. Use one of: {string.Join(", ", field.Options)}.", out error);
                normalized = JsonValue.Create(option);
                return true;
            case CustomFieldTypes.MultiSelect:
                return TryMultiSelect(field, value, text, out normalized, out error);
            default:
                return Fail($"{field.Label} has an unknown type '{field.Type}'.", out error);
        }
    }

    private static bool TryMultiSelect(CustomFieldDto field, JsonElement value, string? text, out JsonNode? normalized, out string error)
    {
        normalized = null;
        error = "";
        IEnumerable<string?> items;
        if (text is not null) items = text.Split(';');
        else if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
            items = value.EnumerateArray().Select(v => v.GetString());
        else return Fail($"{field.Label} must be a list of options (an array, or text separated by ';').", out error);

        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items.Select(i => i?.Trim()).Where(i => !string.IsNullOrEmpty(i)))
        {
            if (MatchOption(field, item!) is not { } option)
                return Fail($"'{item}' is not an option of {field.Label}. Use any of: {string.Join(", ", field.Options)}.", out error);
            chosen.Add(option);
        }
        if (chosen.Count == 0) return true;
        normalized = new JsonArray(field.Options.Where(chosen.Contains).Select(o => (JsonNode?)JsonValue.Create(o)).ToArray());
        return true;
    }

    private static string? MatchOption(CustomFieldDto field, string text) =>
        field.Options.FirstOrDefault(o => string.Equals(o, text, StringComparison.OrdinalIgnoreCase));

    private static bool TryDecimal(JsonElement value, string? text, out decimal number)
    {
        if (value.ValueKind == JsonValueKind.Number) return value.TryGetDecimal(out number);
        number = 0;
        return text is not null && decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
