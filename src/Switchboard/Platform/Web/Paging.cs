namespace Switchboard.Platform.Web;

/// <summary>
/// The list shape of every API collection: { items, total, page, pageSize, totalIsLowerBound }. Counting stops a
/// little past the page (<see cref="PageRequest.CountAhead"/> rows past its start), so a page of a million rows
/// costs no more than a page of a thousand: when more rows match, <see cref="Total"/> is one more than the rows
/// counted and <see cref="TotalIsLowerBound"/> is true ("at least 1,001").
/// </summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    /// <summary>
    /// True when <see cref="Total"/> is "at least": it exceeds what <see cref="PageRequest.ApplyAsync{T}"/> counts
    /// exactly. Derived from the numbers themselves, so a list rebuilt with other items (DTOs) keeps it.
    /// </summary>
    public bool TotalIsLowerBound => Total > (long)(Page - 1) * PageSize + PageRequest.CountAhead;
}

public readonly record struct PageRequest(int Page, int PageSize)
{
    /// <summary>How many rows past the start of the requested page are counted exactly; beyond that the total is a lower bound.</summary>
    public const int CountAhead = 1000;

    /// <summary>Fetches one page of an ordered query and counts its rows, up to <see cref="CountAhead"/> past the page's start.</summary>
    public async Task<PagedList<T>> ApplyAsync<T>(IQueryable<T> ordered, CancellationToken ct)
    {
        var items = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(ordered.Skip(Skip).Take(PageSize), ct);
        // A short page that is not past the end is the last one: the total is known without counting.
        if (items.Count < PageSize && (items.Count > 0 || Page == 1))
            return new PagedList<T>(items, Skip + items.Count, Page, PageSize);
        // One row more than is counted exactly, so that "more" shows as a total past the exact range (TotalIsLowerBound).
        var limit = (int)Math.Min((long)Skip + CountAhead + 1, int.MaxValue);
        var total = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(Unordered(ordered).Take(limit), ct);
        return new PagedList<T>(items, total, Page, PageSize);
    }

    /// <summary>
    /// The query without its sort: counting needs none, and with one PostgreSQL may walk the sort's index to find the
    /// first matches of a rare filter (measured: 3.9 s instead of 4 ms for a term in 0.2% of a million leads).
    /// </summary>
    private static IQueryable<T> Unordered<T>(IQueryable<T> query) => query.Provider.CreateQuery<T>(new SortRemover().Visit(query.Expression));

    /// <summary>Removes the OrderBy/ThenBy calls at the end of a query's chain (before AsNoTracking and the like), nothing inside it.</summary>
    private sealed class SortRemover : System.Linq.Expressions.ExpressionVisitor
    {
        private static readonly HashSet<string> Sorts = [nameof(Queryable.OrderBy), nameof(Queryable.OrderByDescending), nameof(Queryable.ThenBy), nameof(Queryable.ThenByDescending)];

        protected override System.Linq.Expressions.Expression VisitMethodCall(System.Linq.Expressions.MethodCallExpression node)
        {
            if (node.Method.DeclaringType == typeof(Queryable) && Sorts.Contains(node.Method.Name)) return Visit(node.Arguments[0]);
            // Only the chain itself: its first argument is the source; lambdas and subqueries in other arguments keep their sorts.
            if (node.Arguments.Count > 0 && typeof(IQueryable).IsAssignableFrom(node.Arguments[0].Type))
                return node.Update(node.Object, [Visit(node.Arguments[0]), .. node.Arguments.Skip(1)]);
            return node;
        }
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
