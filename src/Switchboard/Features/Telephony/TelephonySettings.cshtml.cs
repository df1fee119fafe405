namespace Switchboard.Features.Telephony;

public sealed class TelephonyModel(ProviderSettingsService providers, TelephonyProviders telephony, PublicUrls urls, TenantContext ctx) : AppPageModel
{
    /// <summary>Every registered provider's card, as the provider declares it.</summary>
    public IReadOnlyList<ProviderSchema> Forms => telephony.All.Select(p => p.Schema).ToList();

    private IReadOnlyDictionary<string, ProviderView> _views = new Dictionary<string, ProviderView>();

    /// <summary>The provider whose card the errors belong to; its inputs show what was posted.</summary>
    public string? ErrorProvider { get; private set; }

    public ProviderView? View(string provider) => _views.GetValueOrDefault(provider);

    public string InboundWebhook(string provider) => urls.Webhook(provider, ctx.RequiredTenantId, "inbound").ToString();

    public string? ErrorFor(string provider, string field) => provider == ErrorProvider ? ErrorFor(field) : null;

    /// <summary>What the input shows: the posted text after a failed save of this card, otherwise the stored setting.</summary>
    public string? ValueOf(ProviderSchema form, string field) =>
        form.Name == ErrorProvider && Request.HasFormContentType
            ? Request.Form[field].ToString()
            : ProviderForm.Text(View(form.Name)?.Settings.TryGetValue(field, out var value) == true ? value : null);

    public bool SecretIsSet(string provider, string secret) => View(provider)?.Secrets.GetValueOrDefault(secret) == "set";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostSaveAsync(string? provider, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        if (Find(provider) is not { } form) return NotFound();
        return await PutAsync(form, form.ToBody(Request.Form), $"{form.Title} settings were saved.", ct);
    }

    public async Task<IActionResult> OnPostActivateAsync(string? active, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        if (Find(active) is not { } form) return NotFound();
        return await PutAsync(form, new ProviderSettingsWrite { Active = Optional.Of<bool?>(true) }, $"{form.Title} now places and receives this workspace's calls.", ct);
    }

    private async Task<IActionResult> PutAsync(ProviderSchema form, ProviderSettingsWrite body, string success, CancellationToken ct)
    {
        switch (await providers.PutAsync(form.Name, body, ct))
        {
            case Outcome<ProviderView>.Ok:
                Flash(success);
                return LocalRedirect("/settings/telephony");
            case Outcome<ProviderView>.Invalid invalid:
                ErrorProvider = form.Name;
                ShowErrors(invalid.Errors);
                FormError = $"{form.Title} was not saved: check the fields marked below.";
                return await PageAsync(ct);
            case Outcome<ProviderView>.NotFound:
                return NotFound();
            default:
                return Forbid();
        }
    }

    private ProviderSchema? Find(string? provider) => telephony.TryGet(provider, out var found) ? found.Schema : null;

    private bool CanManage() => ctx.TenantId is not null && ProviderSettingsService.CanManage(ctx);

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        if (await providers.ListAsync(ct) is not Outcome<IReadOnlyList<ProviderView>>.Ok ok) return Forbid();
        _views = ok.Value.ToDictionary(v => v.Provider);
        return Page();
    }
}
