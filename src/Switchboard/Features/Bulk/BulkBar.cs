using Switchboard.Features.Dialer;
using Switchboard.Features.Lists;
using Switchboard.Ui.Lists;

namespace Switchboard.Features.Bulk;

/// <summary>What a list's bulk action bar offers the caller: their actions, the owners, statuses and queues to pick from.</summary>
public sealed record BulkBarModel(
    IBulkTarget Target, int Total, string TotalText, ListViewState List, IReadOnlyList<string> Actions,
    IReadOnlyList<OwnerOption> Owners, IReadOnlyList<DialerQueueDto> Queues)
{
    public string FormId => $"{Target.Entity}-bulk";
    public string StatusId => $"{Target.Entity}-bulk-status";

    /// <summary>The export of everything matching (the list's own); the script adds filter.id=in:… for picked rows.</summary>
    public string? ExportUrl => List.CanExport ? List.ExportUrl : null;

    public string Label(string action) => action switch
    {
        BulkActions.Assign => "Assign owner",
        BulkActions.Status => "Change status",
        BulkActions.AddToQueue => "Add to dialer queue",
        BulkActions.Dnc => "Add numbers to do-not-call",
        BulkActions.Delete => "Delete",
        _ => action,
    };
}

/// <summary>
/// The bulk action bar of a list page (leads, contacts, accounts, opportunities): <c>@await Component.InvokeAsync("BulkBar", new { entity, total, totalText, list })</c>.
/// Rows join the selection with a checkbox named <c>ids</c> in the bar's form (<see cref="BulkBarModel.FormId"/>).
/// </summary>
public sealed class BulkBarViewComponent(BulkTargets targets, BulkService bulk, SwitchboardDbContext db, DialerQueues queues, TenantContext ctx) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string entity, int total, string totalText, ListViewState list)
    {
        var ct = HttpContext.RequestAborted;
        var target = targets.ForEntity(entity) ?? throw new ArgumentException($"No bulk actions for '{entity}'.", nameof(entity));
        var actions = bulk.AllowedActions(target);
        var owners = actions.Contains(BulkActions.Assign) ? (await LeadOwners.ListAsync(db, ct)).Where(o => o.IsActive).ToList() : [];
        var own = actions.Contains(BulkActions.AddToQueue) && ctx.UserId is not null ? await queues.ListOwnAsync(ct) : [];
        return View("Default", new BulkBarModel(target, total, totalText, list, actions, owners, own));
    }
}
