using Switchboard.Features.Mailboxes;
using Switchboard.Features.Views;

namespace Switchboard.Features.Campaigns;

/// <summary>
/// Campaigns (/campaigns, ADR 0061): managers and administrators see every campaign with its progress and create a
/// draft (email: mailbox and template or subject and text; call: voice agent) to a saved lead or contact view. All
/// through <see cref="CampaignService"/>, as the API does.
/// </summary>
public sealed class CampaignsModel(CampaignService campaigns, ViewService views, SwitchboardDbContext db, TenantContext ctx) : AppPageModel
{
    [BindProperty] public CampaignForm Form { get; set; } = new();

    public IReadOnlyList<CampaignDto> Campaigns { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Label)> Views { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Label)> Mailboxes { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Label)> Templates { get; private set; } = [];
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CampaignService.CanManage(ctx)) return Forbid();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (!CampaignService.CanManage(ctx)) return Forbid();
        switch (await campaigns.CreateAsync(Form.ToWrite(), ct))
        {
            case Outcome<CampaignDto>.Ok ok:
                Flash($"The draft “{ok.Value.Name}” is saved. Start it when you are ready.");
                return LocalRedirect($"/campaigns/{ok.Value.Id}");
            case Outcome<CampaignDto>.Invalid invalid:
                ShowErrors(invalid.Errors.ToDictionary(e => e.Key == "audience" || e.Key.StartsWith("audience.", StringComparison.Ordinal) ? "viewId" : e.Key, e => e.Value));
                FormError = "The campaign was not created: " + invalid.Summary;
                return await PageAsync(ct);
            default:
                return Forbid();
        }
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        if (await campaigns.ListAsync(ct) is Outcome<CampaignList>.Ok list) Campaigns = list.Value.Items;
        Views = [.. (await ViewsOfAsync("contact", ct)).Concat(await ViewsOfAsync("lead", ct))
            .Select(v => (v.Id, $"{(v.Entity == "lead" ? "Leads" : "Contacts")}: {v.Name}"))];
        Mailboxes = (await db.Set<Mailbox>().AsNoTracking().Where(m => m.IsActive).OrderBy(m => m.Name).Select(m => new { m.Id, m.Name, m.Address }).ToListAsync(ct))
            .Select(m => (m.Id, $"{m.Name} <{m.Address}>")).ToList();
        Templates = (await db.Set<MailTemplate>().AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct))
            .Select(t => (t.Id, t.Name)).ToList();
        return Page();
    }

    public static string Badge(string status) => status switch
    {
        CampaignStatuses.Running => "badge-accent",
        CampaignStatuses.Completed => "badge-success",
        CampaignStatuses.Cancelled => "badge-danger",
        _ => "badge-muted",
    };

    private async Task<IReadOnlyList<ViewDto>> ViewsOfAsync(string entity, CancellationToken ct) =>
        await views.ListAsync(entity, ct) is Outcome<ViewList>.Ok list ? list.Value.Items : [];
}
