namespace Switchboard.Features.Webhooks;

/// <summary>
/// One subscription (/settings/webhooks/{id}, ADR 0055): edit it, rotate its secret (the new one shown once), delete
/// it, and read its delivery log (by status, from a day) with a replay per delivery and "replay everything since".
/// Administrators only (403 otherwise); another tenant's subscription is not found. All through <see cref="WebhookService"/>.
/// </summary>
public sealed class WebhookModel(WebhookService hooks, TenantContext ctx, TimeProvider clock) : AppPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public WebhookForm Form { get; set; } = new();

    /// <summary>The log's filters, from the query string: a status and a day (on the tenant's clock).</summary>
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    /// <summary>"Replay everything since": a datetime-local value on the tenant's clock.</summary>
    [BindProperty] public string? Since { get; set; }

    public WebhookDto Hook { get; private set; } = null!;
    public IReadOnlyList<WebhookDeliveryDto> Deliveries { get; private set; } = [];
    public IReadOnlyList<string> Problems { get; private set; } = [];
    /// <summary>Which form the errors belong to: "edit" or "replay".</summary>
    public string? ErrorsOf { get; private set; }
    public string? NewSecret { get; private set; }
    public TenantSettings? Tenant => ctx.Tenant;
    /// <summary>True while the secret before the last rotation still signs deliveries too.</summary>
    public bool PreviousSecretValid => Hook.PreviousSecretExpiresAt is { } expires && expires > clock.GetUtcNow();
    private TimeZoneInfo Zone => Platform.TimeZones.FindOrUtc(ctx.Tenant?.TimeZone);
    private string Here => $"/settings/webhooks/{Id}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!WebhookService.CanManage(ctx)) return Forbid();
        return await PageAsync(fillForm: true, ct);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (!WebhookService.CanManage(ctx)) return Forbid();
        switch (await hooks.UpdateAsync(Id, Form.ToWrite(includeEnabled: true), ct))
        {
            case Outcome<WebhookDto>.Ok:
                Flash("The webhook was saved.");
                return LocalRedirect(Here);
            case Outcome<WebhookDto>.Invalid invalid:
                ShowErrors(invalid.Errors);
                Problems = WebhookForm.Problems(invalid.Errors);
                FormError = "The webhook was not saved: see below.";
                ErrorsOf = "edit";
                return await PageAsync(fillForm: false, ct);
            case Outcome<WebhookDto>.NotFound:
                return NotFound();
            default:
                return Forbid();
        }
    }

    public async Task<IActionResult> OnPostRotateAsync(CancellationToken ct)
    {
        if (!WebhookService.CanManage(ctx)) return Forbid();
        switch (await hooks.RotateSecretAsync(Id, ct))
        {
            case Outcome<WebhookSecret>.Ok ok:
                NewSecret = ok.Value.Secret;
                return await PageAsync(fillForm: true, ct);
            case Outcome<WebhookSecret>.NotFound:
                return NotFound();
            default:
                return Forbid();
        }
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        if (!WebhookService.CanManage(ctx)) return Forbid();
        var url = await hooks.GetAsync(Id, ct) is Outcome<WebhookDto>.Ok ok ? ok.Value.Url : null;
        return AfterDelete(await hooks.DeleteAsync(Id, ct), $"The webhook to {url} was deleted with its delivery log.", "/settings/webhooks");
    }

    public async Task<IActionResult> OnPostReplayAsync(Guid deliveryId, CancellationToken ct) =>
        FlashAndRedirect(await hooks.ReplayAsync(Id, deliveryId, ct), d => $"The {d.Event} event will be sent again (a new attempt, same event id).", LogLink());

    public async Task<IActionResult> OnPostReplaySinceAsync(CancellationToken ct)
    {
        if (!WebhookService.CanManage(ctx)) return Forbid();
        var since = string.IsNullOrWhiteSpace(Since)
            ? new Outcome<DateTimeOffset>.Invalid(new Dictionary<string, string[]> { ["since"] = ["Enter the date and time to replay from."] })
            : Platform.TimeZones.FromLocal(Since, Zone, "since");
        var outcome = since is Outcome<DateTimeOffset>.Ok instant
            ? await hooks.ReplaySinceAsync(Id, new WebhookReplaySince { Since = Optional.Of<DateTimeOffset?>(instant.Value) }, ct)
            : since is Outcome<DateTimeOffset>.Invalid bad ? new Outcome<WebhookReplayed>.Invalid(bad.Errors) : throw new InvalidOperationException();
        switch (outcome)
        {
            case Outcome<WebhookReplayed>.Ok ok:
                Flash(ok.Value.Replayed switch
                {
                    0 => "No event was sent to this webhook since then: nothing to replay.",
                    1 => "1 event will be sent again, in order.",
                    var n => $"{n} events will be sent again, in order.",
                });
                return LocalRedirect(LogLink());
            case Outcome<WebhookReplayed>.Invalid invalid:
                ShowErrors(invalid.Errors);
                ErrorsOf = "replay";
                return await PageAsync(fillForm: true, ct);
            case Outcome<WebhookReplayed>.NotFound:
                return NotFound();
            default:
                return Forbid();
        }
    }

    /// <summary>This page with the log's current filters.</summary>
    public string LogLink()
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(Status)) query.Add("status=" + Uri.EscapeDataString(Status));
        if (From is { } day) query.Add("from=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return query.Count == 0 ? Here : Here + "?" + string.Join("&", query);
    }

    private async Task<IActionResult> PageAsync(bool fillForm, CancellationToken ct)
    {
        switch (await hooks.GetAsync(Id, ct))
        {
            case Outcome<WebhookDto>.Ok ok:
                Hook = ok.Value;
                break;
            case Outcome<WebhookDto>.NotFound:
                return NotFound();
            default:
                return Forbid();
        }
        if (fillForm) Form = WebhookForm.Of(Hook);
        var status = WebhookDeliveryStatuses.All.Contains(Status ?? "") ? Status : null;
        var from = From is { } day ? Platform.TimeZones.StartOfDayUtc(day, Zone) : (DateTimeOffset?)null;
        if (await hooks.DeliveriesAsync(Id, status, from, ct) is Outcome<WebhookDeliveryList>.Ok log) Deliveries = log.Value.Items;
        return Page();
    }
}
