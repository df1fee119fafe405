namespace Switchboard.Platform.Web;

/// <summary>The list shape of every API collection: { items, total, page, pageSize }.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public readonly record struct PageRequest(int Page, int PageSize)
{
    /// <summary>Counts and fetches one page of an ordered query, projecting rows as they come.</summary>
    public async Task<PagedList<T>> ApplyAsync<T>(IQueryable<T> ordered, CancellationToken ct)
    {
        var total = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(ordered, ct);
        var items = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(ordered.Skip(Skip).Take(PageSize), ct);
        return new PagedList<T>(items, total, Page, PageSize);
    }

    public const int MaxPageSize = 200;
    public int Skip => (Page - 1) * PageSize;

    public static PageRequest Validate(int? page, int? pageSize, ValidationErrors errors)
    {
        var request = new PageRequest(page ?? 1, pageSize ?? 50);
        if (request.Page < 1) errors.Add("page", "page must be 1 or more.");
        if (request.PageSize is < 1 or > MaxPageSize) errors.Add("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        // Skip is an int: a page past int.MaxValue rows would overflow into a negative offset.
        else if (request.Page >= 1 && (long)(request.Page - 1) * request.PageSize > int.MaxValue)
            errors.Add("page", $"page is too large for pageSize {request.PageSize}.");
        return request;
    }
}
