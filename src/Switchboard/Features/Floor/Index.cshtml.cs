using Switchboard.Features.Calls;
using Switchboard.Features.Dialer;

namespace Switchboard.Features.Floor;

public sealed class IndexModel(SwitchboardDbContext db, TenantContext ctx, CallReports reports, Dispositions dispositions, TimeProvider clock) : AppPageModel
{
    private readonly FloorBoard _board = new(db, ctx, reports, dispositions, clock);

    public FloorSnapshot Snapshot { get; private set; } = null!;
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : Forbid();

    /// <summary>The board alone, which floor.js re-fetches when a call or presence changes.</summary>
    public async Task<IActionResult> OnGetBoardAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Partial("_Board", Snapshot) : Forbid();

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null || !CallReports.CanView(ctx)) return false;
        if (await _board.SnapshotAsync(ct) is not { } snapshot) return false;
        Snapshot = snapshot;
        return true;
    }
}
