using System.Globalization;

namespace Switchboard.Ui;

/// <summary>How a field of an audited record is shown: its form label and what kind of value it holds.</summary>
public sealed record AuditField(string Label, AuditValueKind Kind = AuditValueKind.Text);

public enum AuditValueKind { Text, Date, DateTime, Boolean, Label, Member, Record, Hidden }

/// <summary>
/// What audit changes are shown with: the viewer's tenant (time zone, date format), the names of members and records
/// by id (one look-up per page), and the labels of the entity's fields where the page knows them.
/// </summary>
public sealed record AuditFormat(
    TenantSettings? Tenant, IReadOnlyDictionary<Guid, string> Names, IReadOnlyDictionary<string, AuditField>? Fields = null)
{
    public static readonly AuditFormat Plain = new(null, new Dictionary<Guid, string>());

    /// <summary>Columns that change with every write and mean nothing to a reader.</summary>
    private static readonly HashSet<string> Bookkeeping = ["id", "version", "updatedAt", "createdAt", "tenantId", "search", "searchVector"];

    public AuditField FieldFor(string key) =>
        Bookkeeping.Contains(key) ? new AuditField("", AuditValueKind.Hidden)
        : Fields?.GetValueOrDefault(key) ?? new AuditField(AuditText.FieldLabel(key), key switch
        {
            "ownerId" or "agentId" or "userId" or "assigneeId" => AuditValueKind.Member,
            "status" or "stage" or "direction" or "role" => AuditValueKind.Label,
            _ when key.EndsWith("Id", StringComparison.Ordinal) => AuditValueKind.Record,
            _ when key.EndsWith("At", StringComparison.Ordinal) => AuditValueKind.DateTime,
            _ => AuditValueKind.Text,
        });

    /// <summary>The actor by the member's name when known (older rows hold an email in ActorName), else what was recorded.</summary>
    public string Actor(Guid? actorId, string? actorName, string actorType) =>
        actorId is { } id && Names.TryGetValue(id, out var name) ? name : actorName ?? Display.Label(actorType);
}

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

    /// <summary>A value as the form shows it: names for ids, dates in the tenant's zone and format, Yes/No, labels.</summary>
    public static string Value(JsonElement value, AuditField field, AuditFormat format)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return field.Kind == AuditValueKind.Member ? "Unassigned" : "—";
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
            return value.GetArrayLength() == 0 ? "—" : string.Join(", ", value.EnumerateArray().Select(v => v.GetString()));
        if (value.ValueKind != JsonValueKind.String) return Abbreviate(value);
        var text = value.GetString()!;
        if (Guid.TryParse(text, out var id))
            return format.Names.TryGetValue(id, out var name) ? name
                : field.Kind == AuditValueKind.Member ? "Former member" : text[..8] + "…";
        if (field.Kind is AuditValueKind.DateTime or AuditValueKind.Text or AuditValueKind.Date
            && text.Length > 10 && text[10] == 'T'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            return Display.DateTime(instant, format.Tenant);
        if (field.Kind is AuditValueKind.Date or AuditValueKind.DateTime
            && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date.ToString(format.Tenant?.DateFormat ?? "yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (field.Kind == AuditValueKind.Label) return Display.Label(text.Replace('_', ' ').Replace('-', ' '));
        return Value(value);
    }

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

    public static IReadOnlyList<(string Field, string? Old, string New)> Changes(JsonElement? changes, IReadOnlyDictionary<Guid, string>? names = null) =>
        Changes(changes, names is null ? AuditFormat.Plain : AuditFormat.Plain with { Names = names });

    /// <summary>
    /// One line per visible changed field: entity changes are { field: { old, new } }, custom fields ({ custom: { old, new } })
    /// one line per changed key; other events carry free-form details, shown as "label: value". Bookkeeping columns are left out.
    /// </summary>
    public static IReadOnlyList<(string Field, string? Old, string New)> Changes(JsonElement? changes, AuditFormat format)
    {
        if (changes is not { ValueKind: JsonValueKind.Object } json) return [];
        var list = new List<(string, string?, string)>();
        foreach (var property in json.EnumerateObject())
        {
            var field = format.FieldFor(property.Name);
            if (field.Kind == AuditValueKind.Hidden) continue;
            var value = property.Value;
            var isChange = value.ValueKind == JsonValueKind.Object && (value.TryGetProperty("old", out _) || value.TryGetProperty("new", out _));
            if (!isChange && value.ValueKind == JsonValueKind.Null) continue;
            if (!isChange)
            {
                list.Add((field.Label, null, Value(value, field, format)));
                continue;
            }
            if (property.Name == "custom")
            {
                AddCustom(list, Get(value, "old"), Get(value, "new"), format);
                continue;
            }
            var old = Get(value, "old");
            var @new = Value(Get(value, "new"), field, format);
            list.Add((field.Label, old.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : Value(old, field, format), @new));
        }
        return list;
    }

    /// <summary>Custom values are one JSON object per record; a line for each key whose value changed, by the field's label.</summary>
    private static void AddCustom(List<(string, string?, string)> list, JsonElement old, JsonElement @new, AuditFormat format)
    {
        var before = Properties(old);
        var after = Properties(@new);
        foreach (var key in before.Keys.Union(after.Keys))
        {
            var was = before.GetValueOrDefault(key);
            var now = after.GetValueOrDefault(key);
            if (was.ValueKind == now.ValueKind && (was.ValueKind == JsonValueKind.Undefined || was.GetRawText() == now.GetRawText())) continue;
            var field = format.Fields?.GetValueOrDefault("custom." + key) ?? format.Fields?.GetValueOrDefault(key) ?? new AuditField(FieldLabel(key));
            list.Add((field.Label, was.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : Value(was, field, format), Value(now, field, format)));
        }
    }

    private static Dictionary<string, JsonElement> Properties(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object ? obj.EnumerateObject().ToDictionary(p => p.Name, p => p.Value) : [];

    private static JsonElement Get(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) ? v : default;

    /// <summary>Every id mentioned in these changes, for one look-up of their names per page.</summary>
    public static IEnumerable<Guid> Ids(JsonElement? changes)
    {
        if (changes is not { } json) yield break;
        switch (json.ValueKind)
        {
            case JsonValueKind.String when Guid.TryParse(json.GetString(), out var id):
                yield return id;
                break;
            case JsonValueKind.Object:
                foreach (var p in json.EnumerateObject()) foreach (var id in Ids(p.Value)) yield return id;
                break;
            case JsonValueKind.Array:
                foreach (var item in json.EnumerateArray()) foreach (var id in Ids(item)) yield return id;
                break;
        }
    }

    private static string Abbreviate(JsonElement value)
    {
        var text = value.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? value.GetRawText() : Value(value);
        return text.Length > 160 ? text[..157] + "…" : text;
    }
}
