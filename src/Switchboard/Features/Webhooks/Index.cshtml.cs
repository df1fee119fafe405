namespace Switchboard.Features.Webhooks;

/// <summary>
/// Settings → Webhooks (/settings/webhooks, ADR 0055): administrators list the tenant's subscriptions and create one.
/// A new subscription's whsec_ secret is shown on the answer to its creation only. Everything goes through
/// <see cref="WebhookService"/>, as the API does.
/// </summary>
public sealed class WebhooksModel(WebhookService hooks, TenantContext ctx) : AppPageModel
{
    [BindProperty] public WebhookForm Form { get; set; } = new();

    public IReadOnlyList<WebhookDto> Hooks { get; private set; } = [];
    public IReadOnlyDictionary<Guid, WebhookLastDelivery> LastDeliveries { get; private set; } = new Dictionary<Guid, WebhookLastDelivery>();
    public IReadOnlyList<string> Problems { get; private set; } = [];
    public TenantSettings? Tenant => ctx.Tenant;

    /// <summary>The subscription just created and its secret: shown on this answer only.</summary>
    public WebhookSecret? Created { get; private set; }
    public string? CreatedUrl { get; private set; }

    public static bool CanManage(TenantContext ctx) => WebhookService.CanManage(ctx);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        switch (await hooks.CreateAsync(Form.ToWrite(includeEnabled: false), ct))
        {
            case Outcome<WebhookSecret>.Ok ok:
                Created = ok.Value;
                CreatedUrl = Form.Url?.Trim();
                Form = new WebhookForm();
                break;
            case Outcome<WebhookSecret>.Invalid invalid:
                ShowErrors(invalid.Errors);
                Problems = WebhookForm.Problems(invalid.Errors);
                FormError = "The webhook was not created: see below.";
                break;
            default:
                return Forbid();
        }
        return await PageAsync(ct);
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        if (await hooks.ListAsync(ct) is Outcome<WebhookList>.Ok list) Hooks = list.Value.Items;
        if (await hooks.LastDeliveriesAsync(ct) is Outcome<IReadOnlyDictionary<Guid, WebhookLastDelivery>>.Ok last) LastDeliveries = last.Value;
        return Page();
    }
}
