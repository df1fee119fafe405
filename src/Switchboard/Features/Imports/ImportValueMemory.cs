using Npgsql;
using NpgsqlTypes;
using Switchboard.Features.CustomFields;

namespace Switchboard.Features.Imports;

/// <summary>
/// The value mappings a tenant chose (<c>import_value_mappings</c>), per entity and field, suggested for the same file
/// values in its next imports. Written when an import starts: a draft nobody starts teaches nothing.
/// </summary>
public static class ImportValueMemory
{
    /// <summary>Field → {value key → stored value or null} for the entity, under the tenant's row-level security.</summary>
    public static async Task<Dictionary<string, Dictionary<string, string?>>> LoadAsync(SwitchboardDbContext db, string entity, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<Remembered>(
            $"select field as \"Field\", value_key as \"ValueKey\", stored_value as \"StoredValue\" from import_value_mappings where entity = {entity}").ToListAsync(ct);
        return rows.GroupBy(r => r.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(r => r.ValueKey, r => r.StoredValue, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>
    /// Adds the sent entries (checked against the entity's choice fields) to the import's value mapping, then a
    /// suggestion for each unknown value of a mapped choice column that has no entry yet. False with the errors added
    /// when a sent entry is refused.
    /// </summary>
    public static async Task<bool> RefreshAsync(SwitchboardDbContext db, Import import, ImportTarget target, CustomFieldSet custom,
        Dictionary<string, Dictionary<string, string?>>? sent, ValidationErrors errors, CancellationToken ct)
    {
        var map = ImportValueMap.From(import.ValueMapping);
        if (sent is not null) map.Apply(sent, ImportChoiceColumn.AllOf(target, custom), errors);
        if (!errors.IsValid) return false;
        var columns = ImportMapping.Resolve(target, import.Header, ImportService.ReadMapping(import), custom, new ValidationErrors());
        var choices = ImportChoiceColumn.Of(columns);
        var remembered = choices.Count == 0 ? [] : await LoadAsync(db, import.Entity, ct);
        foreach (var choice in choices)
            foreach (var unknown in ImportValueSuggestions.Unknown(choice, ImportColumnValues.For(import, choice.Column)))
                if (!map.Contains(choice.Field, unknown.Value)
                    && ImportValueSuggestions.TrySuggest(choice, unknown.Value, remembered.GetValueOrDefault(choice.Field), out var suggestion))
                    map.Set(choice.Field, unknown.Value, suggestion);
        import.ValueMapping = map.ToDocument();
        return true;
    }

    /// <summary>Remembers the import's entries for values its choice columns do not know (an option maps to itself anyway).</summary>
    public static async Task RememberAsync(SwitchboardDbContext db, Import import, ImportValueMap map, IReadOnlyList<ImportChoiceColumn> choices,
        DateTimeOffset now, CancellationToken ct)
    {
        var fields = new List<string>();
        var keys = new List<string>();
        var values = new List<string>();
        var stored = new List<string?>();
        foreach (var choice in choices)
        {
            if (!map.Entries.TryGetValue(choice.Field, out var entries)) continue;
            foreach (var (value, to) in entries.Where(e => choice.Option(e.Key) is null))
            {
                var key = ImportValueMap.Key(value);
                if (keys.Zip(fields).Any(k => k.First == key && k.Second == choice.Field)) continue;
                fields.Add(choice.Field);
                keys.Add(key);
                values.Add(value);
                stored.Add(to);
            }
        }
        if (fields.Count == 0) return;
        await db.Database.ExecuteSqlRawAsync("""
            insert into import_value_mappings (tenant_id, entity, field, value_key, file_value, stored_value, updated_at)
            select app_current_tenant(), @entity, f, k, v, s, @now from unnest(@fields, @keys, @values, @stored) as m (f, k, v, s)
            on conflict (tenant_id, entity, field, value_key)
            do update set file_value = excluded.file_value, stored_value = excluded.stored_value, updated_at = excluded.updated_at
            """,
            [
                new NpgsqlParameter("entity", import.Entity),
                new NpgsqlParameter("now", now),
                new NpgsqlParameter("fields", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = fields.ToArray() },
                new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.ToArray() },
                new NpgsqlParameter("values", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() },
                new NpgsqlParameter("stored", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = stored.ToArray() },
            ], ct);
    }

    private sealed record Remembered(string Field, string ValueKey, string? StoredValue);
}
