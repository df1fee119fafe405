using System.Text.RegularExpressions;
using Npgsql;

namespace Switchboard.Features.CustomFields;

/// <summary>
/// Managing field definitions (admins); everyone in the tenant reads them. Key, entity and type are fixed once
/// created, because stored values are keyed and shaped by them. Fields are retired, never deleted.
/// </summary>
[Scoped]
public sealed partial class CustomFieldService(SwitchboardDbContext db, TenantContext ctx, CustomFieldValidator validator)
{
    public const int MaxOptions = 200;

    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    [GeneratedRegex("^[a-z][a-zA-Z0-9]{0,49}$")]
    private static partial Regex KeyPattern();

    public async Task<Outcome<IReadOnlyList<CustomFieldDto>>> ListAsync(string? entity, CancellationToken ct)
    {
        if (entity is not null && !CustomFieldEntities.All.Contains(entity))
            return new Outcome<IReadOnlyList<CustomFieldDto>>.Invalid(new Dictionary<string, string[]> { ["entity"] = [EntityError(entity)] });
        var fields = db.Set<CustomField>().AsNoTracking();
        if (entity is not null) fields = fields.Where(f => f.Entity == entity);
        var list = await fields.OrderBy(f => f.Entity).ThenBy(f => f.Position).ThenBy(f => f.Key).ToListAsync(ct);
        return list.Select(CustomFieldDto.From).ToList();
    }

    public async Task<CustomFieldDto?> FindAsync(Guid id, CancellationToken ct) =>
        await db.Set<CustomField>().AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct) is { } f ? CustomFieldDto.From(f) : null;

    public async Task<Outcome<CustomFieldDto>> CreateAsync(CustomFieldWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<CustomFieldDto>.Forbidden("Only administrators can manage custom fields.");
        var errors = body.BindingErrors();
        var entity = body.Entity.OneOf("entity", CustomFieldEntities.All, errors).Value;
        var key = body.Key.Value;
        var type = body.Type.OneOf("type", CustomFieldTypes.All, errors).Value;
        if (entity is null && !errors.ToDictionary().ContainsKey("entity")) errors.Add("entity", $"entity is required: one of {string.Join(", ", CustomFieldEntities.All)}.");
        if (type is null && !errors.ToDictionary().ContainsKey("type")) errors.Add("type", $"type is required: one of {string.Join(", ", CustomFieldTypes.All)}.");
        if (key is null) errors.Add("key", "key is required.");
        else if (!KeyPattern().IsMatch(key)) errors.Add("key", "A key is a camelCase identifier: a lowercase letter, then up to 49 letters or digits (e.g. leadScore).");
        if (body.Version.IsSet) errors.Add("version", "'version' cannot be set on create.");

        var field = new CustomField { Id = Guid.CreateVersion7(), Entity = entity ?? "", Key = key ?? "", Label = "", Type = type ?? CustomFieldTypes.Text };
        Apply(field, body, errors);
        errors.Required("label", field.Label, "Label", 100);
        ValidateOptions(field, errors);
        if (!errors.IsValid) return new Outcome<CustomFieldDto>.Invalid(errors.ToDictionary());
        if (await db.Set<CustomField>().AnyAsync(f => f.Entity == field.Entity && f.Key == field.Key, ct))
            return Duplicate(field);
        if (!body.Position.IsSet)
            field.Position = (await db.Set<CustomField>().Where(f => f.Entity == field.Entity).MaxAsync(f => (int?)f.Position, ct) ?? 0) + 10;

        db.Set<CustomField>().Add(field);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Duplicate(field);
        }
        validator.Invalidate(field.Entity);
        return CustomFieldDto.From(field);
    }

    public async Task<Outcome<CustomFieldDto>> UpdateAsync(Guid id, CustomFieldWrite patch, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<CustomFieldDto>.Forbidden("Only administrators can manage custom fields.");
        var field = await db.Set<CustomField>().SingleOrDefaultAsync(f => f.Id == id, ct);
        if (field is null) return new Outcome<CustomFieldDto>.NotFound();
        var errors = patch.BindingErrors();
        if (patch.Version is { IsSet: true, Value: { } v } && v != field.Version)
            return new Outcome<CustomFieldDto>.Conflict($"The field has changed since version {v}; it is now at version {field.Version}. Reload and retry.");
        foreach (var (fixedName, value, current) in new[] { ("entity", patch.Entity, field.Entity), ("key", patch.Key, field.Key), ("type", patch.Type, field.Type) })
        {
            if (value.IsSet && value.Value != current)
                errors.Add(fixedName, $"'{fixedName}' cannot be changed once the field exists; retire it and add a new field instead.");
        }
        Apply(field, patch, errors);
        if (patch.Label.IsSet) errors.Required("label", field.Label, "Label", 100);
        ValidateOptions(field, errors);
        if (!errors.IsValid) return new Outcome<CustomFieldDto>.Invalid(errors.ToDictionary());

        if (!await db.TrySaveAsync(ct)) return RecordSave.Conflict<CustomFieldDto>("field");
        validator.Invalidate(field.Entity);
        return CustomFieldDto.From(field);
    }

    /// <summary>Retires the field: stored values stay, but forms stop showing it and it is no longer required.</summary>
    public Task<Outcome<CustomFieldDto>> RetireAsync(Guid id, CancellationToken ct) =>
        UpdateAsync(id, new CustomFieldWrite { Active = Optional.Of<bool?>(false) }, ct);

    private static void Apply(CustomField field, CustomFieldWrite body, ValidationErrors errors)
    {
        if (body.Label is { IsSet: true } label) field.Label = label.Value ?? "";
        if (body.Required is { IsSet: true, Value: { } required }) field.Required = required;
        if (body.Position is { IsSet: true, Value: { } position }) field.Position = position;
        if (body.Active is { IsSet: true, Value: { } active }) field.IsActive = active;
        if (body.Options is { IsSet: true, Value: var options })
        {
            // The reader refuses an array with anything but strings in it, null included.
            field.Options = options is null ? [] : NormalizeOptions(options);
        }
    }

    /// <summary>Trimmed, blank lines dropped, duplicates (ignoring case) dropped, order kept.</summary>
    public static string[] NormalizeOptions(IEnumerable<string> options) =>
        options.Select(o => o.Trim()).Where(o => o.Length > 0).DistinctBy(o => o.ToLowerInvariant()).ToArray();

    private static void ValidateOptions(CustomField field, ValidationErrors errors)
    {
        if (CustomFieldTypes.HasOptions(field.Type))
        {
            if (field.Options.Length == 0) errors.Add("options", "A select field needs at least one option.");
            if (field.Options.Length > MaxOptions) errors.Add("options", $"A select field has at most {MaxOptions} options.");
            if (field.Options.Any(o => o.Length > 100)) errors.Add("options", "An option is at most 100 characters.");
            if (field.Type == CustomFieldTypes.MultiSelect && field.Options.Any(o => o.Contains(';')))
                errors.Add("options", "Multi-select options cannot contain ';' (imports use it to separate choices).");
        }
        else if (field.Options.Length > 0) errors.Add("options", "Only single-select and multi-select fields have options.");
    }

    private static string EntityError(string entity) => $"'{entity}' is not an entity with custom fields. Use one of: {string.Join(", ", CustomFieldEntities.All)}.";

    private static Outcome<CustomFieldDto> Duplicate(CustomField field) =>
        new Outcome<CustomFieldDto>.Invalid(new Dictionary<string, string[]> { ["key"] = [$"A {field.Entity} field with the key '{field.Key}' already exists (retired fields keep their key)."] });
}
