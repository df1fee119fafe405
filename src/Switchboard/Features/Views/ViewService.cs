using System.Text.Json.Serialization;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Views;

/// <summary>
/// Saved list views. A private view is its owner's alone (others get 404); a shared one is visible to the whole
/// tenant, and changed or deleted only by its owner or an admin or manager. Changes are audited by the interceptor.
/// </summary>
public sealed class ViewService(SwitchboardDbContext db, TenantContext ctx, ListCatalogues catalogues) : IRecordStore<ViewDto, JsonElement>
{
    public const int MaxFilters = 50;
    public const int MaxColumns = 100;
    private static readonly string[] Fields = ["entity", "name", "shared", "definition", "version"];

    private static readonly JsonSerializerOptions DefinitionJson = new(JsonSerializerOptions.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static bool CanManageShared(TenantContext ctx) => ctx.Role is TenantRole.Superadmin or TenantRole.Admin or TenantRole.Manager;

    public bool CanEdit(SavedView view) => view.OwnerId == ctx.UserId || (view.Shared && CanManageShared(ctx));

    public async Task<Outcome<ViewList>> ListAsync(string? entity, CancellationToken ct)
    {
        if (entity is not null && !catalogues.Entities.Contains(entity))
            return new Outcome<ViewList>.Invalid(new Dictionary<string, string[]> { ["entity"] = [EntityError(entity)] });
        var views = Visible();
        if (entity is not null) views = views.Where(v => v.Entity == entity);
        var list = await views.AsNoTracking().OrderBy(v => v.Name).ThenBy(v => v.Id).ToListAsync(ct);
        return new ViewList(list.Select(ToDto).ToList());
    }

    public async Task<ViewDto?> FindAsync(Guid id, CancellationToken ct) =>
        await Visible().AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct) is { } view ? ToDto(view) : null;

    public async Task<Outcome<ViewDto>> CreateAsync(JsonElement body, CancellationToken ct)
    {
        var self = ctx.UserId;
        if (self is null || !await db.Memberships.AnyAsync(m => m.UserId == self && m.IsActive, ct))
            return new Outcome<ViewDto>.Forbidden("Only members of this tenant can save views.");
        var fields = new JsonFields(body, Fields, new ValidationErrors());
        if (fields.Has("version")) fields.Errors.Add("version", "'version' cannot be set on create.");
        var entity = fields.OneOf("entity", catalogues.Entities).Value;
        if (entity is null && !fields.Errors.ToDictionary().ContainsKey("entity"))
            fields.Errors.Add("entity", $"entity is required: one of {string.Join(", ", catalogues.Entities)}.");
        var view = new SavedView { Id = Guid.CreateVersion7(), Entity = entity ?? "", Name = "", OwnerId = self.Value };
        if (!fields.Has("definition")) fields.Errors.Add("definition", "definition is required: { filters, columns, sort, search }.");
        await ApplyAsync(view, fields, isNew: true, ct);
        if (!fields.Errors.IsValid) return new Outcome<ViewDto>.Invalid(fields.Errors.ToDictionary());

        db.Add(view);
        await db.SaveChangesAsync(ct);
        return ToDto(view);
    }

    public async Task<Outcome<ViewDto>> UpdateAsync(Guid id, JsonElement patch, int? ifMatch, CancellationToken ct)
    {
        var view = await Visible().SingleOrDefaultAsync(v => v.Id == id, ct);
        if (view is null) return new Outcome<ViewDto>.NotFound();
        if (!CanEdit(view)) return new Outcome<ViewDto>.Forbidden("Only the view's owner, an admin or a manager can change a shared view.");
        if (ifMatch is { } expected && expected != view.Version)
            return new Outcome<ViewDto>.PreconditionFailed($"The view has changed since version {expected}; it is now at version {view.Version}. Reload and retry.");

        var fields = new JsonFields(patch, Fields, new ValidationErrors());
        if (fields.Int("version") is { IsSet: true, Value: { } v } && v != view.Version)
            return new Outcome<ViewDto>.Conflict($"The view has changed since version {v}; it is now at version {view.Version}. Reload and retry.");
        if (fields.String("entity") is { IsSet: true, Value: var entity } && entity != view.Entity)
            fields.Errors.Add("entity", "A view's entity cannot change.");
        await ApplyAsync(view, fields, isNew: false, ct);
        if (!fields.Errors.IsValid) return new Outcome<ViewDto>.Invalid(fields.Errors.ToDictionary());

        if (!await db.TrySaveAsync(ct)) return RecordSave.Conflict<ViewDto>("view");
        return ToDto(view);
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        var view = await Visible().SingleOrDefaultAsync(v => v.Id == id, ct);
        if (view is null) return new Outcome<bool>.NotFound();
        if (!CanEdit(view)) return new Outcome<bool>.Forbidden("Only the view's owner, an admin or a manager can delete a shared view.");
        db.Remove(view);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>A view's definition as stored (never null: an unreadable one reads as empty).</summary>
    public static ViewDefinition DefinitionOf(JsonElement definition)
    {
        try
        {
            return Normalize(definition.Deserialize<ViewDefinition>(DefinitionJson));
        }
        catch (JsonException)
        {
            return new ViewDefinition([], null, null, null);
        }
    }

    private IQueryable<SavedView> Visible()
    {
        var self = ctx.UserId;
        return db.Set<SavedView>().Where(v => v.Shared || v.OwnerId == self);
    }

    private async Task ApplyAsync(SavedView view, JsonFields fields, bool isNew, CancellationToken ct)
    {
        var errors = fields.Errors;
        if (fields.String("name") is { IsSet: true } name) view.Name = name.Value ?? "";
        if (view.Name.Contains('\0')) errors.Add("name", "Name cannot contain NUL characters.");
        if (isNew || fields.Has("name")) errors.Required("name", view.Name, "Name", 100);
        if (fields.Bool("shared") is { IsSet: true } shared)
        {
            if (shared.Value is null) errors.Add("shared", "shared cannot be null.");
            else if (shared.Value.Value && ctx.Role is TenantRole.Readonly) errors.Add("shared", "Read-only users cannot share views.");
            else view.Shared = shared.Value.Value;
        }
        if (fields.Raw("definition") is { } raw && view.Entity.Length > 0)
        {
            if (await CheckDefinitionAsync(view.Entity, raw, errors, ct) is { } definition)
                view.Definition = JsonSerializer.SerializeToDocument(definition, JsonSerializerOptions.Web);
        }
    }

    private async Task<ViewDefinition?> CheckDefinitionAsync(string entity, JsonElement raw, ValidationErrors errors, CancellationToken ct)
    {
        const string shape = "definition must be an object: { \"filters\": [{ \"field\", \"op\", \"value\" }], \"columns\": [...], \"sort\": \"...\", \"search\": \"...\" }.";
        ViewDefinition definition;
        try
        {
            definition = raw.ValueKind == JsonValueKind.Object ? Normalize(raw.Deserialize<ViewDefinition>(DefinitionJson)) : throw new JsonException();
        }
        catch (JsonException)
        {
            errors.Add("definition", shape);
            return null;
        }
        // jsonb cannot store \u0000, so a definition holding one is refused rather than failing in the database.
        if (raw.GetRawText().Contains("\\u0000", StringComparison.Ordinal))
        {
            errors.Add("definition", "A definition cannot contain NUL characters.");
            return null;
        }
        var found = new ValidationErrors();
        if (definition.Filters.Count > MaxFilters) found.Add("filters", $"A view can have at most {MaxFilters} filters.");
        if (definition.Columns?.Count > MaxColumns) found.Add("columns", $"A view can have at most {MaxColumns} columns.");
        found.MaxLength("search", definition.Search, "Search", 200);
        if (definition.Filters.Any(f => string.IsNullOrWhiteSpace(f.Field) || string.IsNullOrWhiteSpace(f.Op)))
            found.Add("filters", "Every filter needs a field and an op.");
        else await catalogues.CheckAsync(entity, definition.Criteria, definition.Sort, found, ct);
        foreach (var (key, messages) in found.ToDictionary())
            foreach (var message in messages) errors.Add("definition." + key, message);
        return found.IsValid ? definition : null;
    }

    private static ViewDefinition Normalize(ViewDefinition? definition) => new(
        definition?.Filters?.Where(f => f is not null).ToList() ?? [],
        definition?.Columns is { Count: > 0 } columns ? columns : null,
        string.IsNullOrWhiteSpace(definition?.Sort) ? null : definition.Sort.Trim(),
        string.IsNullOrWhiteSpace(definition?.Search) ? null : definition.Search.Trim());

    private string EntityError(string entity) => $"'{entity}' is not a list. Use one of: {string.Join(", ", catalogues.Entities)}.";

    private ViewDto ToDto(SavedView v) => new(
        v.Id, v.Entity, v.Name, v.OwnerId, v.Shared, DefinitionOf(v.Definition.RootElement), CanEdit(v), v.CreatedAt, v.UpdatedAt, v.Version);
}
