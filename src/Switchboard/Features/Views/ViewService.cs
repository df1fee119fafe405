using System.Text.Json.Serialization;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Views;

/// <summary>
/// Saved list views. A private view is its owner's alone (others get 404); a shared one is visible to the whole
/// tenant, and changed or deleted only by its owner or an admin or manager. Changes are audited by the interceptor.
/// </summary>
[Scoped]
public sealed class ViewService(SwitchboardDbContext db, TenantContext ctx, ListCatalogues catalogues) : IRecordStore<ViewDto, ViewWrite>
{
    public const int MaxFilters = 50;
    public const int MaxColumns = 100;
    private const string Shape = "definition must be an object: { \"filters\": [{ \"field\", \"op\", \"value\" }], \"columns\": [...], \"sort\": \"...\", \"search\": \"...\" }.";

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

    public async Task<Outcome<ViewDto>> CreateAsync(ViewWrite body, CancellationToken ct)
    {
        var self = ctx.UserId;
        if (self is null || !await db.Memberships.AnyAsync(m => m.UserId == self && m.IsActive, ct))
            return new Outcome<ViewDto>.Forbidden("Only members of this tenant can save views.");
        var errors = body.BindingErrors();
        if (body.Version.IsSet) errors.Add("version", "'version' cannot be set on create.");
        var entity = body.Entity.OneOf("entity", catalogues.Entities, errors).Value;
        if (entity is null && !errors.ToDictionary().ContainsKey("entity"))
            errors.Add("entity", $"entity is required: one of {string.Join(", ", catalogues.Entities)}.");
        var view = new SavedView { Id = Guid.CreateVersion7(), Entity = entity ?? "", Name = "", OwnerId = self.Value };
        if (!body.Definition.IsSet && body.Definition.Error is null)
            errors.Add("definition", "definition is required: { filters, columns, sort, search }.");
        await ApplyAsync(view, body, errors, isNew: true, ct);
        if (!errors.IsValid) return new Outcome<ViewDto>.Invalid(errors.ToDictionary());

        db.Add(view);
        await db.SaveChangesAsync(ct);
        return ToDto(view);
    }

    public async Task<Outcome<ViewDto>> UpdateAsync(Guid id, ViewWrite patch, int? ifMatch, CancellationToken ct)
    {
        var view = await Visible().SingleOrDefaultAsync(v => v.Id == id, ct);
        if (view is null) return new Outcome<ViewDto>.NotFound();
        if (!CanEdit(view)) return new Outcome<ViewDto>.Forbidden("Only the view's owner, an admin or a manager can change a shared view.");
        if (ifMatch is { } expected && expected != view.Version)
            return new Outcome<ViewDto>.PreconditionFailed($"The view has changed since version {expected}; it is now at version {view.Version}. Reload and retry.");

        var errors = patch.BindingErrors();
        if (patch.Version is { IsSet: true, Value: { } v } && v != view.Version)
            return new Outcome<ViewDto>.Conflict($"The view has changed since version {v}; it is now at version {view.Version}. Reload and retry.");
        if (patch.Entity is { IsSet: true, Value: var entity } && entity != view.Entity)
            errors.Add("entity", "A view's entity cannot change.");
        await ApplyAsync(view, patch, errors, isNew: false, ct);
        if (!errors.IsValid) return new Outcome<ViewDto>.Invalid(errors.ToDictionary());

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
            return Normalize(definition.Deserialize<ViewDefinition>(JsonSerializerOptions.Web));
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

    private async Task ApplyAsync(SavedView view, ViewWrite body, ValidationErrors errors, bool isNew, CancellationToken ct)
    {
        if (body.Name is { IsSet: true } name) view.Name = name.Value ?? "";
        if (view.Name.Contains('\0')) errors.Add("name", "Name cannot contain NUL characters.");
        if (isNew || body.Name.IsSet) errors.Required("name", view.Name, "Name", 100);
        if (body.Shared is { IsSet: true } shared)
        {
            if (shared.Value is null) errors.Add("shared", "shared cannot be null.");
            else if (shared.Value.Value && ctx.Role is TenantRole.Readonly) errors.Add("shared", "Read-only users cannot share views.");
            else view.Shared = shared.Value.Value;
        }
        // A definition that is not the shape (null, not an object, a member it does not have) gets the shape as its hint.
        if (body.Definition.Error is not null || body.Definition is { IsSet: true, Value: null }) errors.Add("definition", Shape);
        else if (body.Definition is { IsSet: true, Value: { } sent } && view.Entity.Length > 0)
        {
            if (await CheckDefinitionAsync(view.Entity, Normalize(sent), errors, ct) is { } definition)
                view.Definition = JsonSerializer.SerializeToDocument(definition, JsonSerializerOptions.Web);
        }
    }

    private async Task<ViewDefinition?> CheckDefinitionAsync(string entity, ViewDefinition definition, ValidationErrors errors, CancellationToken ct)
    {
        // jsonb cannot store \u0000, so a definition holding one is refused rather than failing in the database.
        if (Texts(definition).Any(t => t?.Contains('\0') == true))
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
        errors.AddNested("definition.", found);
        return found.IsValid ? definition : null;
    }

    private static IEnumerable<string?> Texts(ViewDefinition d) =>
        d.Filters.SelectMany(f => new[] { f.Field, f.Op, f.Value }).Concat(d.Columns ?? []).Append(d.Sort).Append(d.Search);

    private static ViewDefinition Normalize(ViewDefinition? definition) => new(
        definition?.Filters?.Where(f => f is not null).ToList() ?? [],
        definition?.Columns is { Count: > 0 } columns ? columns : null,
        string.IsNullOrWhiteSpace(definition?.Sort) ? null : definition.Sort.Trim(),
        string.IsNullOrWhiteSpace(definition?.Search) ? null : definition.Search.Trim());

    private string EntityError(string entity) => $"'{entity}' is not a list. Use one of: {string.Join(", ", catalogues.Entities)}.";

    private ViewDto ToDto(SavedView v) => new(
        v.Id, v.Entity, v.Name, v.OwnerId, v.Shared, DefinitionOf(v.Definition.RootElement), CanEdit(v), v.CreatedAt, v.UpdatedAt, v.Version);
}
