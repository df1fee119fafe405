namespace Switchboard.Platform.Web;

/// <summary>The list shape of every API collection: { items, total, page, pageSize }.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int MaxPageSize = 200;
    public int Skip => (Page - 1) * PageSize;

    public static PageRequest Validate(int? page, int? pageSize, ValidationErrors errors)
    {
        var request = new PageRequest(page ?? 1, pageSize ?? 50);
        if (request.Page < 1) errors.Add("page", "page must be 1 or more.");
        if (request.PageSize is < 1 or > MaxPageSize) errors.Add("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        return request;
    }
}
