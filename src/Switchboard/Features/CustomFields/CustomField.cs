namespace Switchboard.Features.CustomFields;

/// <summary>A tenant's definition of one extra field on leads, contacts, accounts or opportunities.</summary>
public sealed class CustomField : AuditedRow
{
    public required string Entity { get; set; }
    public required string Key { get; set; }
    public required string Label { get; set; }
    public required string Type { get; set; }
    public bool Required { get; set; }
    public string[] Options { get; set; } = [];
    public int Position { get; set; }
    public bool IsActive { get; set; } = true;

    public override string AuditEntityType => "custom-field";
}

internal sealed class CustomFieldConfiguration() : TenantTableConfiguration<CustomField>("custom_fields");

public static class CustomFieldEntities
{
    public const string Lead = "lead";
    public const string Contact = "contact";
    public const string Account = "account";
    public const string Opportunity = "opportunity";

    public static readonly IReadOnlyList<string> All = [Lead, Contact, Account, Opportunity];
}

public static class CustomFieldTypes
{
    public const string Text = "text";
    public const string Number = "number";
    public const string Currency = "currency";
    public const string Date = "date";
    public const string Boolean = "boolean";
    public const string SingleSelect = "single-select";
    public const string MultiSelect = "multi-select";

    public static readonly IReadOnlyList<string> All = [Text, Number, Currency, Date, Boolean, SingleSelect, MultiSelect];

    public static bool HasOptions(string type) => type is SingleSelect or MultiSelect;
}

public sealed record CustomFieldDto(
    Guid Id, string Entity, string Key, string Label, string Type, bool Required, IReadOnlyList<string> Options,
    int Position, bool Active, int Version)
{
    public static CustomFieldDto From(CustomField f) =>
        new(f.Id, f.Entity, f.Key, f.Label, f.Type, f.Required, f.Options, f.Position, f.IsActive, f.Version);
}

/// <summary>The body of POST and PATCH /api/v1/custom-fields (PATCH is a merge patch; key, entity and type are fixed once created).</summary>
public sealed record CustomFieldWrite : RequestBody
{
    /// <summary>One of <see cref="CustomFieldEntities.All"/>.</summary>
    public Optional<string?> Entity { get; init; }
    /// <summary>A camelCase identifier, unique per entity.</summary>
    public Optional<string?> Key { get; init; }
    public Optional<string?> Label { get; init; }
    /// <summary>One of <see cref="CustomFieldTypes.All"/>.</summary>
    public Optional<string?> Type { get; init; }
    public Optional<bool?> Required { get; init; }
    /// <summary>The choices of a select field, in order (null: none).</summary>
    public Optional<IReadOnlyList<string>?> Options { get; init; }
    /// <summary>Where the field sorts among its entity's fields (default: after the last).</summary>
    public Optional<int?> Position { get; init; }
    /// <summary>false retires the field; true restores it.</summary>
    public Optional<bool?> Active { get; init; }
    /// <summary>The version the client last read: a stale one is a 409 (not allowed on create).</summary>
    public Optional<int?> Version { get; init; }
}
