namespace Switchboard.Features.Lists;

/// <summary>The page a list endpoint answers: paging and the selection validated together, then one page of the rows.</summary>
public static class ListPages
{
    /// <param name="select">The entity service's selection (filters, search, sort); adds its errors and returns null when invalid.</param>
    /// <param name="toDtos">Maps the page's rows (a service may need one more query for all of them).</param>
    public static async Task<Outcome<PagedList<TDto>>> PageAsync<TEntity, TDto>(DbContext db, int? page, int? pageSize,
        Func<ValidationErrors, Task<ListRows<TEntity, TDto>?>> select, Func<IReadOnlyList<TEntity>, Task<IReadOnlyList<TDto>>> toDtos,
        CancellationToken ct) where TEntity : class
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(page, pageSize, errors);
        var rows = await select(errors);
        if (!errors.IsValid) return new Outcome<PagedList<TDto>>.Invalid(errors.ToDictionary());

        var result = await paging.ApplyAsync(db, rows!.Ordered.AsNoTracking(), ct);
        return result.With(await toDtos(result.Items));
    }

    public static Task<Outcome<PagedList<TDto>>> PageAsync<TEntity, TDto>(DbContext db, int? page, int? pageSize,
        Func<ValidationErrors, Task<ListRows<TEntity, TDto>?>> select, Func<TEntity, TDto> toDto, CancellationToken ct) where TEntity : class =>
        PageAsync(db, page, pageSize, select, items => Task.FromResult<IReadOnlyList<TDto>>(items.Select(toDto).ToList()), ct);
}
