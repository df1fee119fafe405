using Switchboard.Features.CustomFields;

namespace Switchboard.Features.Imports;

/// <summary>A column of the file and what it is imported into: a standard field or a custom field.</summary>
public sealed record ImportColumn(int Index, string Header, ImportField? Field, CustomFieldDto? Custom, int FieldIndex = -1);

/// <summary>How the file's columns map to fields: the automatic suggestion, and checking a mapping a user sends.</summary>
public static class ImportMapping
{
    /// <summary>Header text reduced to letters and digits in lower case, so "E-mail Address" and "emailaddress" meet.</summary>
    public static string Normalize(string header)
    {
        var text = new StringBuilder(header.Length);
        foreach (var ch in header.Normalize(NormalizationForm.FormD))
            if (char.IsAsciiLetterOrDigit(ch)) text.Append(char.ToLowerInvariant(ch));
        return text.ToString();
    }

    /// <summary>Makes header names unique ("Email", "Email (2)") and names blank ones by position, so a mapping can key on them.</summary>
    public static string[] UniqueHeader(IReadOnlyList<string> header)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = new string[header.Count];
        for (var i = 0; i < header.Count; i++)
        {
            var name = string.IsNullOrWhiteSpace(header[i]) ? $"Column {i + 1}" : header[i].Trim();
            var candidate = name;
            for (var n = 2; !seen.Add(candidate); n++) candidate = $"{name} ({n})";
            unique[i] = candidate;
        }
        return unique;
    }

    /// <summary>
    /// The suggested field for each column: a field's name, label or a common synonym, or a custom field's key or
    /// label; each field is given to the first column that names it. Columns nothing matches map to null.
    /// </summary>
    public static Dictionary<string, string?> Suggest(ImportTarget target, IReadOnlyList<string> header, CustomFieldSet custom)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        void Offer(string text, string field) => byName.TryAdd(Normalize(text), field);
        foreach (var field in target.Fields) { Offer(field.Name, field.Name); Offer(field.Label, field.Name); }
        foreach (var field in custom.Active) { Offer(field.Key, CustomFieldQueries.Prefix + field.Key); Offer(field.Label, CustomFieldQueries.Prefix + field.Key); }
        foreach (var field in target.Fields)
            foreach (var synonym in field.Synonyms ?? []) Offer(synonym, field.Name);

        var used = new HashSet<string>(StringComparer.Ordinal);
        var mapping = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var column in header)
            mapping[column] = byName.TryGetValue(Normalize(column), out var field) && used.Add(field) ? field : null;
        return mapping;
    }

    /// <summary>Reads a mapping sent as a JSON object of header → field name (null or "" for "don't import").</summary>
    public static Dictionary<string, string?>? Parse(string? json, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("mapping", "The mapping must be a JSON object of column header → field name.");
                return null;
            }
            var mapping = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    errors.Add("mapping", $"The field for column '{property.Name}' must be a field name or null.");
                    continue;
                }
                mapping[property.Name] = property.Value.GetString() is { Length: > 0 } field ? field : null;
            }
            return mapping;
        }
        catch (JsonException)
        {
            errors.Add("mapping", "The mapping is not valid JSON.");
            return null;
        }
    }

    /// <summary>Checks a mapping against the file's header and the entity's fields, and resolves it to columns.</summary>
    public static IReadOnlyList<ImportColumn> Resolve(ImportTarget target, IReadOnlyList<string> header,
        IReadOnlyDictionary<string, string?> mapping, CustomFieldSet custom, ValidationErrors errors)
    {
        var columns = new List<ImportColumn>();
        var mappedTo = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, fieldName) in mapping)
        {
            var index = IndexOf(header, column);
            if (index < 0)
            {
                errors.Add("mapping", $"The file has no column '{column}'.");
                continue;
            }
            if (fieldName is null) continue;
            if (mappedTo.TryGetValue(fieldName, out var other))
            {
                errors.Add("mapping", $"Columns '{other}' and '{column}' are both mapped to {fieldName}; map each field once.");
                continue;
            }
            mappedTo[fieldName] = column;
            if (target.Find(fieldName) is { } field)
                columns.Add(new ImportColumn(index, column, field, null, target.IndexOf(field.Name)));
            else if (fieldName.StartsWith(CustomFieldQueries.Prefix, StringComparison.Ordinal)
                     && custom.Find(fieldName[CustomFieldQueries.Prefix.Length..]) is { Active: true } customField)
                columns.Add(new ImportColumn(index, column, null, customField));
            else
                errors.Add("mapping", $"'{fieldName}' (column '{column}') is not a field of a {target.Entity}. Fields: {string.Join(", ", target.Fields.Select(f => f.Name))}, or custom.<key>.");
        }
        if (errors.IsValid && columns.Count == 0)
            errors.Add("mapping", header.Count == 1
                ? $"No column is mapped to a {target.Entity} field. The file was read as a single column '{Shorten(header[0])}': is the delimiter right?"
                : $"No column is mapped to a {target.Entity} field. Map at least one column.");
        return columns;
    }

    private static int IndexOf(IReadOnlyList<string> header, string column)
    {
        for (var i = 0; i < header.Count; i++)
            if (header[i] == column) return i;
        return -1;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
