using Switchboard.Features.CustomFields;

namespace Switchboard.Features.Imports;

/// <summary>
/// A mapped column whose field has a fixed set of options: a standard choice field (lead status, account size) or a
/// single/multi-select custom field. Its cells are the values a value mapping translates.
/// </summary>
public sealed record ImportChoiceColumn(string Column, string Field, string Label, IReadOnlyList<string> Options, bool Multi,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Synonyms)
{
    /// <summary>The option the text names exactly (ignoring case), as every write path accepts it; null when it names none.</summary>
    public string? Option(string text) => Options.FirstOrDefault(o => string.Equals(o, text, StringComparison.OrdinalIgnoreCase));

    /// <summary>The cell's values: a multi-select cell holds several, separated by ';'.</summary>
    public IEnumerable<string> Values(string cell) => Multi
        ? cell.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        : cell.Trim() is { Length: > 0 } one ? [one] : [];

    /// <summary>Every field of the entity with fixed values (no column), by field name: what a sent value mapping may name.</summary>
    public static IReadOnlyDictionary<string, ImportChoiceColumn> AllOf(ImportTarget target, CustomFieldSet custom) =>
        Of(target.Fields.Select(f => new ImportColumn(-1, "", f, null))
                .Concat(custom.Active.Select(f => new ImportColumn(-1, "", null, f))))
            .ToDictionary(c => c.Field, StringComparer.Ordinal);

    /// <summary>The choice columns among the resolved columns.</summary>
    public static IReadOnlyList<ImportChoiceColumn> Of(IEnumerable<ImportColumn> columns) =>
        columns.Select(c => c switch
        {
            { Field: { Kind: ImportFieldKind.Choice } f } => new ImportChoiceColumn(c.Header, f.Name, f.Label, f.Options!, false, f.ValueSynonyms),
            { Custom: { } cf } when CustomFieldTypes.HasOptions(cf.Type) =>
                new ImportChoiceColumn(c.Header, CustomFieldQueries.Prefix + cf.Key, cf.Label, cf.Options, cf.Type == CustomFieldTypes.MultiSelect, null),
            _ => null,
        }).OfType<ImportChoiceColumn>().ToList();
}

/// <summary>One distinct value of a choice column that is not an option: how many rows hold it and what it maps to.</summary>
public sealed record ImportUnknownValue(string Value, int Rows);

/// <summary>
/// The value mapping of an import: field → {file value → stored option, or null for "leave empty"}. Values are
/// matched by <see cref="Key"/>, so "In Progress", "in-progress" and "IN PROGRESS" share one entry.
/// </summary>
public sealed class ImportValueMap
{
    public const int MaxValueLength = 400;

    private readonly Dictionary<string, Dictionary<string, string?>> _byField = new(StringComparer.Ordinal);

    /// <summary>The entries as stored and shown: field → {file value as first given → stored value}.</summary>
    public SortedDictionary<string, SortedDictionary<string, string?>> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>A file value reduced to lower-case letters and digits without accents; text with neither is kept as lower case.</summary>
    public static string Key(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var ch in value.Trim().Normalize(NormalizationForm.FormD))
            if (char.IsLetterOrDigit(ch)) text.Append(char.ToLowerInvariant(ch));
        return text.Length > 0 ? text.ToString() : value.Trim().ToLowerInvariant();
    }

    public bool Contains(string field, string value) => _byField.TryGetValue(field, out var values) && values.ContainsKey(Key(value));

    /// <summary>Adds or replaces the entry for the value (by its key).</summary>
    public void Set(string field, string value, string? stored)
    {
        var key = Key(value);
        if (!_byField.TryGetValue(field, out var values)) _byField[field] = values = new(StringComparer.Ordinal);
        if (!Entries.TryGetValue(field, out var shown)) Entries[field] = shown = new(StringComparer.Ordinal);
        if (values.ContainsKey(key))
            foreach (var old in shown.Keys.Where(k => Key(k) == key).ToList()) shown.Remove(old);
        values[key] = stored;
        shown[value.Trim()] = stored;
    }

    /// <summary>What the value maps to: true with the stored value (null = leave empty), or false when it is not mapped.</summary>
    public bool TryMap(string field, string value, out string? stored)
    {
        stored = null;
        return _byField.TryGetValue(field, out var values) && values.TryGetValue(Key(value), out stored);
    }

    public static ImportValueMap From(JsonDocument document)
    {
        var map = new ImportValueMap();
        foreach (var field in document.RootElement.EnumerateObject())
            foreach (var value in field.Value.EnumerateObject())
                map.Set(field.Name, value.Name, value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : null);
        return map;
    }

    public JsonDocument ToDocument() => JsonSerializer.SerializeToDocument(Entries);

    /// <summary>Reads a value mapping sent as JSON text: {field: {file value: stored value or null}}; null when none was sent.</summary>
    public static Dictionary<string, Dictionary<string, string?>>? Parse(string? json, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        const string shape = "The value mapping must be a JSON object of field → {value in the file → stored value or null}.";
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("valueMapping", shape);
                return null;
            }
            var parsed = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
            foreach (var field in document.RootElement.EnumerateObject())
            {
                if (field.Value.ValueKind != JsonValueKind.Object)
                {
                    errors.Add("valueMapping", $"'{field.Name}': {shape}");
                    continue;
                }
                var values = parsed[field.Name] = new(StringComparer.Ordinal);
                foreach (var value in field.Value.EnumerateObject())
                {
                    if (value.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                        errors.Add("valueMapping", $"'{field.Name}' → '{Clip(value.Name)}' must be a value of the field or null (leave empty).");
                    else if (value.Name.Trim().Length is 0 or > MaxValueLength)
                        errors.Add("valueMapping", $"'{field.Name}': a value in the file must be 1 to {MaxValueLength} characters.");
                    else values[value.Name] = value.Value.GetString() is { Length: > 0 } stored ? stored : null;
                }
            }
            return parsed;
        }
        catch (JsonException)
        {
            errors.Add("valueMapping", "The value mapping is not valid JSON.");
            return null;
        }
    }

    /// <summary>Adds sent entries, each checked against the entity's choice fields; stored values become the option's own spelling.</summary>
    public void Apply(Dictionary<string, Dictionary<string, string?>> sent, IReadOnlyDictionary<string, ImportChoiceColumn> choiceFields, ValidationErrors errors)
    {
        foreach (var (field, values) in sent)
        {
            if (!choiceFields.TryGetValue(field, out var choice))
            {
                errors.Add("valueMapping", $"'{field}' has no fixed values to map. Fields with values: {string.Join(", ", choiceFields.Keys.Order())}.");
                continue;
            }
            foreach (var (value, stored) in values)
            {
                if (stored is null)
                {
                    Set(field, value, null);
                    continue;
                }
                if (choice.Option(stored) is { } option) Set(field, value, option);
                else errors.Add("valueMapping", $"'{Clip(stored)}' is not a value of {choice.Label} (for '{Clip(value)}'). Use one of: {string.Join(", ", choice.Options)}, or null to leave it empty.");
            }
        }
    }

    private static string Clip(string text) => ImportRowNormalizer.Clip(text);
}

/// <summary>The automatic suggestion for a value a choice field does not know.</summary>
public static class ImportValueSuggestions
{
    /// <summary>
    /// What the tenant chose for the value before; else the option whose value or label the value names ignoring
    /// case, spaces and punctuation; else the option the field declares it as a synonym of. Null: no suggestion.
    /// </summary>
    public static bool TrySuggest(ImportChoiceColumn choice, string value, IReadOnlyDictionary<string, string?>? remembered, out string? stored)
    {
        var key = ImportValueMap.Key(value);
        if (remembered is not null && remembered.TryGetValue(key, out stored) && (stored is null || choice.Option(stored) is not null))
        {
            stored = stored is null ? null : choice.Option(stored);
            return true;
        }
        stored = choice.Options.FirstOrDefault(o => ImportValueMap.Key(o) == key || ImportValueMap.Key(Display.Label(o)) == key);
        if (stored is not null) return true;
        foreach (var (option, synonyms) in choice.Synonyms ?? new Dictionary<string, IReadOnlyList<string>>())
            if (choice.Option(option) is { } known && synonyms.Any(s => ImportValueMap.Key(s) == key))
            {
                stored = known;
                return true;
            }
        return false;
    }

    /// <summary>The column's distinct values that are not options, most rows first, from the counts taken at upload.</summary>
    public static IReadOnlyList<ImportUnknownValue> Unknown(ImportChoiceColumn choice, IReadOnlyDictionary<string, int>? counts)
    {
        if (counts is null) return [];
        var unknown = new Dictionary<string, (string Value, int Rows)>(StringComparer.Ordinal);
        foreach (var (cell, rows) in counts)
            foreach (var value in choice.Values(cell).Where(v => choice.Option(v) is null))
            {
                var key = ImportValueMap.Key(value);
                unknown[key] = unknown.TryGetValue(key, out var seen) ? (seen.Value, seen.Rows + rows) : (value, rows);
            }
        return unknown.Values.OrderByDescending(u => u.Rows).ThenBy(u => u.Value, StringComparer.OrdinalIgnoreCase)
            .Select(u => new ImportUnknownValue(u.Value, u.Rows)).ToList();
    }
}
