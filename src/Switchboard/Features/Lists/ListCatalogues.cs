using Switchboard.Features.CustomFields;

namespace Switchboard.Features.Lists;

/// <summary>
/// An entity with a list, registered by its feature (AddEntityList): the name saved views and exports know it by,
/// and a check of filters, columns and sort against the entity's catalogue.
/// </summary>
public interface IEntityList
{
    string Entity { get; }

    Task CheckAsync(ListCriteria criteria, string? sort, ListContext context, ValidationErrors errors, CancellationToken ct);
}

/// <summary>The registered entity lists, and a check of filters, columns and sort for any of them (saved views).</summary>
[Scoped]
public sealed class ListCatalogues(IEnumerable<IEntityList> lists, TenantContext ctx)
{
    private readonly IReadOnlyList<IEntityList> _lists = lists.ToList();

    public IReadOnlyList<string> Entities => [.. _lists.Select(l => l.Entity)];

    /// <summary>Adds to <paramref name="errors"/> what the entity's list would refuse in these criteria and sort.</summary>
    public Task CheckAsync(string entity, ListCriteria criteria, string? sort, ValidationErrors errors, CancellationToken ct) =>
        _lists.Single(l => l.Entity == entity).CheckAsync(criteria, sort, ListContexts.For(ctx), errors, ct);
}

/// <summary>A list whose catalogue depends only on the tenant's custom fields of its entity (leads, accounts, contacts).</summary>
public sealed class CustomFieldEntityList<TEntity, TDto>(
    string entity, Func<CustomFieldSet, ListCatalogue<TEntity, TDto>> catalogue, CustomFieldValidator customFields) : IEntityList
{
    public string Entity => entity;

    public async Task CheckAsync(ListCriteria criteria, string? sort, ListContext context, ValidationErrors errors, CancellationToken ct) =>
        catalogue(await customFields.ForEntityAsync(entity, ct)).CheckView(criteria, sort, context, errors);
}

public static class EntityListRegistration
{
    public static IServiceCollection AddEntityList<TList>(this IServiceCollection services) where TList : class, IEntityList =>
        services.AddScoped<IEntityList, TList>();

    /// <summary>Registers a list whose catalogue is built from the entity's custom fields alone.</summary>
    public static IServiceCollection AddEntityList<TEntity, TDto>(
        this IServiceCollection services, string entity, Func<CustomFieldSet, ListCatalogue<TEntity, TDto>> catalogue) =>
        services.AddScoped<IEntityList>(sp => ActivatorUtilities.CreateInstance<CustomFieldEntityList<TEntity, TDto>>(sp, entity, catalogue));
}
