using Switchboard.Features.Activities;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;

namespace Switchboard.Pages.Shared;

/// <summary>What _Timeline.cshtml shows: the newest entries of one record's timeline, in the tenant's time zone.</summary>
public sealed record TimelineView(string RelatedType, Guid RelatedId, IReadOnlyList<TimelineItem> Items, int Total, TenantSettings? Tenant)
{
    public const int PageSize = 50;

    /// <summary>
    /// Builds the view for a record page. Null when the record is not visible to the caller (the page has usually
    /// answered 404 already), so a page can simply skip the card.
    /// </summary>
    public static async Task<TimelineView?> BuildAsync(TimelineService timeline, TenantContext ctx, string relatedType, Guid relatedId, CancellationToken ct)
    {
        var outcome = await timeline.ListAsync(new TimelineQuery(relatedType, relatedId, 1, PageSize), ct);
        return outcome is Outcome<PagedList<TimelineItem>>.Ok ok
            ? new TimelineView(relatedType, relatedId, ok.Value.Items, ok.Value.Total, ctx.Tenant)
            : null;
    }
}
