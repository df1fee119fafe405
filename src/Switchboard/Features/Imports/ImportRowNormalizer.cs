using System.Text.Json.Nodes;
using Switchboard.Features.Accounts;
using Switchboard.Features.CustomFields;
using Switchboard.Platform.Csv;

namespace Switchboard.Features.Imports;

/// <summary>Why one cell (or, with no column, the whole row) cannot be imported.</summary>
public sealed record ImportCellError(int Row, string? Column, string? Value, string Reason);

/// <summary>A row ready to stage: the target's fields in <see cref="ImportTarget.Fields"/> order (null = blank) and its custom values.</summary>
public sealed record NormalizedRow(int Row, string?[] Fields, JsonObject Custom);

/// <summary>
/// Turns a CSV row into the values a write would store, with the rules of the entity's own write path: text
/// lengths, email syntax (lower case), phones to E.164 in the tenant's default country, choices, booleans, time
/// zones, owners by member email or full name, accounts by name or external id, and custom fields through
/// <see cref="CustomFieldSet"/>. A choice value that is not an option is read through the import's value mapping.
/// Synchronous and query-free, so a million rows validate at CPU speed. Blank cells stay null: they never overwrite
/// a stored value.
/// </summary>
// Its parameters are the lookups built once per import (members, accounts, custom fields) so rows need no queries.
public sealed class ImportRowNormalizer(
    ImportTarget target, IReadOnlyList<ImportColumn> columns, int headerCount, string defaultCountry,
    ImportOwners owners, IReadOnlyDictionary<string, Guid> accountsByNameOrExternalId, ImportValueMap values)
{
    private static readonly Dictionary<string, bool> Booleans = new(StringComparer.OrdinalIgnoreCase)
    {
        ["true"] = true, ["yes"] = true, ["y"] = true, ["1"] = true, ["x"] = true,
        ["false"] = false, ["no"] = false, ["n"] = false, ["0"] = false,
    };

    /// <summary>A normalizer with the tenant's members loaded when a column holds owners, and its accounts when one holds accounts.</summary>
    public static async Task<ImportRowNormalizer> CreateAsync(SwitchboardDbContext db, Import import, ImportTarget target, IReadOnlyList<ImportColumn> columns,
        string defaultCountry, CancellationToken ct)
    {
        bool Mapped(ImportFieldKind kind) => columns.Any(c => c.Field?.Kind == kind);
        return new(target, columns, import.Header.Length, defaultCountry,
            Mapped(ImportFieldKind.Owner) ? await ImportOwners.LoadAsync(db, ct) : ImportOwners.None,
            Mapped(ImportFieldKind.Account) ? await AccountsAsync(db, ct) : new Dictionary<string, Guid>(),
            ImportValueMap.From(import.ValueMapping));
    }

    /// <summary>Accounts by lower-case name and by external id (the oldest account wins a shared name), for contacts' account column.</summary>
    private static async Task<Dictionary<string, Guid>> AccountsAsync(SwitchboardDbContext db, CancellationToken ct)
    {
        var accounts = await db.Set<Accounts.Account>().OrderBy(a => a.CreatedAt)
            .Select(a => new { a.Id, a.Name, a.ExternalId }).ToListAsync(ct);
        var byKey = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var a in accounts.Where(a => a.ExternalId is not null)) byKey.TryAdd(a.ExternalId!.ToLowerInvariant(), a.Id);
        foreach (var a in accounts) byKey.TryAdd(a.Name.ToLowerInvariant(), a.Id);
        return byKey;
    }

    /// <summary>The normalized row, or null with the reasons added to <paramref name="errors"/>.</summary>
    public NormalizedRow? Normalize(CsvRow row, List<ImportCellError> errors)
    {
        if (row.Error is not null)
        {
            errors.Add(new ImportCellError(row.Row, null, null, row.Error));
            return null;
        }
        if (row.Fields.Count > headerCount)
        {
            errors.Add(new ImportCellError(row.Row, null, null, $"The row has {row.Fields.Count} fields but the header has {headerCount}: check the delimiter and quotes."));
            return null;
        }
        var fields = new string?[target.Fields.Count];
        var custom = new JsonObject();
        var before = errors.Count;
        foreach (var column in columns)
        {
            var text = column.Index < row.Fields.Count ? CsvWriter.Unguard(row.Fields[column.Index].Trim()) : "";
            if (text.Contains('\0'))
            {
                // PostgreSQL text cannot hold NUL: refused per cell, or the whole import would fail when it is written.
                errors.Add(new ImportCellError(row.Row, column.Header, Clip(text.Replace('\0', ' ')), "Contains a NUL character, which cannot be stored."));
                continue;
            }
            if (column.Field is { } field)
            {
                if (text.Length == 0) continue;
                if (TryNormalize(field, text, out var value, out var reason)) fields[column.FieldIndex] = value;
                else errors.Add(new ImportCellError(row.Row, column.Header, Clip(text), reason));
            }
            else if (column.Custom is { } customField && text.Length > 0)
            {
                var cell = text;
                if (CustomFieldTypes.HasOptions(customField.Type))
                {
                    if (MapOptions(customField, text) is { } mapped) cell = mapped;
                    else continue;
                }
                if (CustomFieldSet.TryNormalize(customField, JsonSerializer.SerializeToElement(cell), out var value, out var error))
                    custom[customField.Key] = value;
                else errors.Add(new ImportCellError(row.Row, column.Header, Clip(text), error));
            }
        }
        return errors.Count == before ? new NormalizedRow(row.Row, fields, custom) : null;
    }

    private bool TryNormalize(ImportField field, string text, out string? value, out string reason)
    {
        value = null;
        reason = "";
        switch (field.Kind)
        {
            case ImportFieldKind.Email:
                var email = text.ToLowerInvariant();
                if (email.Length > field.MaxLength || !ValidationErrors.IsEmail(email))
                    return Fail($"'{Clip(text)}' is not a valid email address.", out reason);
                value = email;
                return true;
            case ImportFieldKind.Phone:
                var phone = PhoneNumbers.Normalize(text, defaultCountry);
                if (!phone.Success) return Fail(phone.Error!, out reason);
                value = phone.E164;
                return true;
            case ImportFieldKind.Choice:
                value = field.Options!.FirstOrDefault(o => string.Equals(o, text, StringComparison.OrdinalIgnoreCase));
                if (value is null && values.TryMap(field.Name, text, out var mapped)) value = mapped is null ? null : field.Options!.FirstOrDefault(o => o == mapped);
                else if (value is null)
                    return Fail($"'{Clip(text)}' is not a valid {field.Label.ToLowerInvariant()}. Use one of: {string.Join(", ", field.Options!)}, or map it in the import's value mapping.", out reason);
                return true;
            case ImportFieldKind.Boolean:
                if (!Booleans.TryGetValue(text, out var flag)) return Fail($"'{Clip(text)}' is not yes/no (use true, false, yes, no, 1 or 0).", out reason);
                value = flag ? "true" : "false";
                return true;
            case ImportFieldKind.TimeZone:
                if (!Platform.TimeZones.IsValid(text)) return Fail($"'{Clip(text)}' is not an IANA time zone such as America/Chicago.", out reason);
                value = text;
                return true;
            case ImportFieldKind.Owner:
                if (!owners.TryFind(text, out var owner, out var ownerError)) return Fail(ownerError, out reason);
                value = owner.ToString();
                return true;
            case ImportFieldKind.Account:
                if (!accountsByNameOrExternalId.TryGetValue(text.ToLowerInvariant(), out var account)) return Fail($"No account is named '{Clip(text)}' or has it as external id.", out reason);
                value = account.ToString();
                return true;
            case ImportFieldKind.Domain:
                value = Domains.Normalize(text);
                return value is not null || Fail($"'{Clip(text)}' is not a web domain such as example.com.", out reason);
            case ImportFieldKind.HttpsUrl:
                if (text.Length > field.MaxLength || !ValidationErrors.IsHttpsUrl(text))
                    return Fail($"'{Clip(text)}' is not an https URL such as https://example.com/path.", out reason);
                value = text;
                return true;
            case ImportFieldKind.Country:
                var country = text.ToUpperInvariant();
                if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)) return Fail($"'{Clip(text)}' is not a two-letter ISO country code such as US.", out reason);
                value = country;
                return true;
            default:
                if (text.Length > field.MaxLength) return Fail($"{field.Label} must be at most {field.MaxLength:N0} characters (this one has {text.Length:N0}).", out reason);
                value = text;
                return true;
        }
    }

    /// <summary>
    /// A select custom field's cell with each value that is not an option replaced through the value mapping (a
    /// multi-select cell item by item); null when nothing is left, so the cell counts as blank. A value the mapping
    /// does not know is left for <see cref="CustomFieldSet"/> to refuse.
    /// </summary>
    private string? MapOptions(CustomFieldDto field, string text)
    {
        var key = CustomFieldQueries.Prefix + field.Key;
        var items = field.Type == CustomFieldTypes.MultiSelect ? text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [text];
        var kept = new List<string>(items.Length);
        foreach (var item in items)
        {
            if (field.Options.Any(o => string.Equals(o, item, StringComparison.OrdinalIgnoreCase)) || !values.TryMap(key, item, out var mapped)) kept.Add(item);
            else if (mapped is not null) kept.Add(mapped);
        }
        return kept.Count == 0 ? null : string.Join(";", kept);
    }

    private static bool Fail(string message, out string reason)
    {
        reason = message;
        return false;
    }

    /// <summary>Cell text as the error report shows it: a 10 MB cell is not copied into the report.</summary>
    public static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
