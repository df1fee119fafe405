namespace Switchboard.Features.CustomFields;

/// <summary>
/// The one gate for custom field values on every write path (API, pages, imports, conversions). Scoped: each
/// entity's definitions are read once per request and reused.
/// </summary>
[Scoped]
public sealed class CustomFieldValidator(SwitchboardDbContext db)
{
    private readonly Dictionary<string, CustomFieldSet> _sets = new(StringComparer.Ordinal);

    /// <summary>The entity's definitions (retired ones included), cached for the rest of the request.</summary>
    public async Task<CustomFieldSet> ForEntityAsync(string entity, CancellationToken ct)
    {
        if (!CustomFieldEntities.All.Contains(entity)) throw new ArgumentOutOfRangeException(nameof(entity), entity, "Not an entity with custom fields.");
        if (_sets.TryGetValue(entity, out var cached)) return cached;
        var fields = await db.Set<CustomField>().AsNoTracking().Where(f => f.Entity == entity).ToListAsync(ct);
        return _sets[entity] = new CustomFieldSet(entity, fields.Select(CustomFieldDto.From));
    }

    /// <summary>
    /// Merges the request's <c>custom</c> object into the stored one and validates it. Ok carries the document to
    /// store; Invalid carries errors named <c>custom.&lt;key&gt;</c>. Pass <paramref name="incoming"/> null when the
    /// request did not mention <c>custom</c> (then only create-time required checks apply).
    /// </summary>
    public async Task<Outcome<JsonDocument>> ValidateAsync(string entity, JsonElement? incoming, JsonDocument? existing, bool isCreate, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var document = await ValidateAsync(entity, incoming, existing, isCreate, errors, ct);
        return document is null ? new Outcome<JsonDocument>.Invalid(errors.ToDictionary()) : document;
    }

    /// <summary>The same, adding errors to a write's own <see cref="ValidationErrors"/>; null when invalid.</summary>
    public async Task<JsonDocument?> ValidateAsync(string entity, JsonElement? incoming, JsonDocument? existing, bool isCreate, ValidationErrors errors, CancellationToken ct)
    {
        var set = await ForEntityAsync(entity, ct);
        return set.Validate(incoming, existing?.RootElement, isCreate, errors);
    }

    /// <summary>Forgets cached definitions (after the definitions themselves change in this request).</summary>
    internal void Invalidate(string entity) => _sets.Remove(entity);
}
