using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Campaigns;

/// <summary>
/// One campaign (/campaigns/{id}): its counters and progress (the card polls itself every 2 seconds while the campaign
/// runs), start, pause, resume and cancel, and its first recipients.
/// </summary>
public sealed class CampaignModel(CampaignService campaigns, SwitchboardDbContext db, TenantContext ctx) : AppPageModel
{
    public CampaignDto Campaign { get; private set; } = null!;
    public IReadOnlyList<CampaignRecipientDto> Recipients { get; private set; } = [];
    /// <summary>The recipients' names (leads and contacts), by id.</summary>
    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!CampaignService.CanManage(ctx)) return Forbid();
        if (await campaigns.GetAsync(id, ct) is not Outcome<CampaignDto>.Ok ok) return NotFound();
        Campaign = ok.Value;
        if (Request.Headers["HX-Request"] == "true") return Partial("_CampaignProgress", this);
        if (await campaigns.RecipientsAsync(id, null, ct) is Outcome<CampaignRecipientList>.Ok list) Recipients = list.Value.Items.Take(100).ToList();
        var ids = Recipients.Select(r => r.RelatedId).ToList();
        var names = Campaign.Audience.Entity == "lead"
            ? await db.Set<Lead>().AsNoTracking().Where(l => ids.Contains(l.Id)).Select(l => new { l.Id, l.FirstName, l.LastName }).ToListAsync(ct)
            : await db.Set<Contact>().AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.FirstName, c.LastName }).ToListAsync(ct);
        Names = names.ToDictionary(n => n.Id, n => $"{n.FirstName} {n.LastName}".Trim());
        return Page();
    }

    public Task<IActionResult> OnPostStartAsync(Guid id, CancellationToken ct) => ActAsync(id, campaigns.StartAsync, "Started.", ct);
    public Task<IActionResult> OnPostPauseAsync(Guid id, CancellationToken ct) => ActAsync(id, campaigns.PauseAsync, "Paused: nothing more is sent until you resume.", ct);
    public Task<IActionResult> OnPostResumeAsync(Guid id, CancellationToken ct) => ActAsync(id, campaigns.ResumeAsync, "Resumed.", ct);
    public Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct) => ActAsync(id, campaigns.CancelAsync, "Cancelled.", ct);

    private async Task<IActionResult> ActAsync(Guid id, Func<Guid, CancellationToken, Task<Outcome<CampaignDto>>> act, string done, CancellationToken ct)
    {
        if (!CampaignService.CanManage(ctx)) return Forbid();
        var outcome = await act(id, ct);
        if (outcome is Outcome<CampaignDto>.NotFound) return NotFound();
        if (outcome is Outcome<CampaignDto>.Ok) Flash(done);
        else Flash(outcome.Problem ?? "That did not work.", FlashKind.Error);
        return LocalRedirect($"/campaigns/{id}");
    }
}
