namespace Switchboard.Features.Outreach;

/// <summary>
/// Settings → Outreach (/settings/outreach, ADR 0059): managers and administrators see the caps, pause and counts of
/// the mailboxes they manage (owners and administrators change caps; administrators resume a paused mailbox) and keep
/// the suppression list. Everything goes through <see cref="OutreachMailboxes"/> and <see cref="SuppressionService"/>, as the API does.
/// </summary>
public sealed class OutreachSettingsModel(OutreachMailboxes mailboxes, SuppressionService suppressions, TenantContext ctx) : AppPageModel
{
    public IReadOnlyList<OutreachMailboxDto> Mailboxes { get; private set; } = [];
    public SuppressionList Suppressions { get; private set; } = new([], 0);
    public TenantSettings? Tenant => ctx.Tenant;
    public bool IsAdmin => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public string? Reason { get; set; }
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public int? PerMinute { get; set; }
    [BindProperty] public int? PerDay { get; set; }

    public static bool CanManage(TenantContext ctx) => SuppressionService.CanManage(ctx);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => !CanManage(ctx) ? Forbid() : await PageAsync(ct);

    public async Task<IActionResult> OnPostCapsAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        return FlashAndRedirect(await mailboxes.UpdateAsync(id, new OutreachMailboxWrite(PerMinute, PerDay), ct),
            v => $"{v.Address} sends at most {v.PerMinute} a minute and {v.PerDay} a day.", "/settings/outreach");
    }

    public async Task<IActionResult> OnPostResumeAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        return FlashAndRedirect(await mailboxes.ResumeAsync(id, ct), v => $"Outreach from {v.Address} is sending again.", "/settings/outreach");
    }

    public async Task<IActionResult> OnPostSuppressAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        return FlashAndRedirect(await suppressions.AddAsync(new SuppressionWrite(Address, SuppressionReasons.Manual, Note), ct),
            v => $"{v.Address} gets no more outreach email.", "/settings/outreach");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string address, CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        return AfterDelete(await suppressions.RemoveAsync(address, ct), $"{address} may get outreach email again.", "/settings/outreach");
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        if (await mailboxes.ListAsync(ct) is Outcome<IReadOnlyList<OutreachMailboxDto>>.Ok list) Mailboxes = list.Value;
        var reason = SuppressionReasons.All.Contains(Reason ?? "") ? Reason : null;
        if (await suppressions.ListAsync(Search, reason, ct) is Outcome<SuppressionList>.Ok found) Suppressions = found.Value;
        return Page();
    }
}
