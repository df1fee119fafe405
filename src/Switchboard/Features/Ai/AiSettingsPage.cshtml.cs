using Switchboard.Features.Ai.Llm;
using Switchboard.Features.Ai.VoiceAgents;

namespace Switchboard.Features.Ai;

public sealed class AiPolicyForm
{
    public string? AutoCreateMinPriority { get; set; }
    /// <summary>Percent, 0–100, as the page shows it.</summary>
    public string? MinConfidence { get; set; }
}

public sealed class AiModelForm
{
    public bool LlmEnabled { get; set; }
    public bool NeverExternal { get; set; }
    public string? LlmEndpoint { get; set; }
    public string? LlmModel { get; set; }
    /// <summary>Blank keeps the stored key.</summary>
    public string? LlmApiKey { get; set; }
    public bool RemoveApiKey { get; set; }
    public string? MonthlyTokenBudget { get; set; }
}

/// <summary>
/// The administrators' AI page: which follow-ups become tasks at once, the model analyses go to with this month's
/// usage, and the voice-agent providers the tenant takes calls from.
/// </summary>
public sealed class AiSettingsModel(AiSettingsService settings, VoiceAgentIntegrations voiceAgents, TenantContext ctx) : AppPageModel
{
    [BindProperty] public AiPolicyForm Form { get; set; } = new();
    [BindProperty] public AiModelForm ModelForm { get; set; } = new();
    public IReadOnlyList<VoiceAgentIntegrationDto> Providers { get; private set; } = [];
    public AiSettingsDto Current { get; private set; } = null!;
    public AiUsageDto? Usage { get; private set; }
    public string? ModelFormError { get; private set; }

    public static bool CanManage(TenantContext ctx) => AiSettingsService.CanManage(ctx);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        await LoadAsync(ct, policyForm: true, modelForm: true);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        var percent = double.TryParse(Form.MinConfidence, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : (double?)null;
        if (percent is null) AddError("minConfidence", "Enter a number from 0 to 100.");
        else if (await SaveAsync(new AiSettingsWrite { AutoCreateMinPriority = Optional.Text(Form.AutoCreateMinPriority), MinConfidence = Optional.Of<double?>(percent / 100) },
                     "The AI settings were saved.", ct) is { } saved)
            return saved;
        FormError = "The AI settings were not saved: check the fields marked below.";
        await LoadAsync(ct, policyForm: false, modelForm: true);
        return Page();
    }

    public async Task<IActionResult> OnPostModelAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        var budget = long.TryParse(ModelForm.MonthlyTokenBudget?.Replace(",", "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var tokens) ? tokens : (long?)null;
        if (budget is null) AddError("monthlyTokenBudget", $"Enter a whole number of tokens from 0 to {AiSettings.MaxMonthlyTokenBudget:N0}.");
        else
        {
            var endpoint = string.IsNullOrWhiteSpace(ModelForm.LlmEndpoint) ? null : ModelForm.LlmEndpoint;
            var body = new AiSettingsWrite
            {
                LlmEnabled = Optional.Of<bool?>(ModelForm.LlmEnabled),
                NeverExternal = Optional.Of<bool?>(ModelForm.NeverExternal),
                LlmEndpoint = Optional.Of(endpoint),
                LlmModel = Optional.Of(endpoint is null ? null : ModelForm.LlmModel),
                LlmApiKey = ModelForm.RemoveApiKey ? Optional.Of<string?>(null) : string.IsNullOrEmpty(ModelForm.LlmApiKey) ? default : Optional.Of<string?>(ModelForm.LlmApiKey),
                MonthlyTokenBudget = Optional.Of(budget),
            };
            if (await SaveAsync(body, "The model settings were saved.", ct) is { } saved) return saved;
        }
        ModelFormError = "The model settings were not saved: check the fields marked below.";
        await LoadAsync(ct, policyForm: true, modelForm: false);
        return Page();
    }

    public async Task<IActionResult> OnPostConnectAsync(string provider, string? signingSecret, bool active, CancellationToken ct)
    {
        var body = new VoiceAgentIntegrationWrite
        {
            SigningSecret = string.IsNullOrWhiteSpace(signingSecret) ? default : Optional.Text(signingSecret),
            Active = Optional.Of<bool?>(active),
        };
        return FlashAndRedirect(await voiceAgents.PutAsync(provider, body, ct), saved => $"{saved.Label} is {(saved.Active ? "connected" : "saved but off")}.", "/settings/ai",
            problem => problem is Outcome<VoiceAgentIntegrationDto>.Invalid invalid ? string.Join(" ", invalid.Errors.SelectMany(e => e.Value)) : null);
    }

    public async Task<IActionResult> OnPostDisconnectAsync(string provider, CancellationToken ct) =>
        FlashAndRedirect(await voiceAgents.DeleteAsync(provider, ct), _ => $"{VoiceAgentProviders.Label(provider)} is disconnected.", "/settings/ai");

    /// <summary>Saves one of the page's forms: the redirect (or 403) when done, null when the fields have errors to show.</summary>
    private async Task<IActionResult?> SaveAsync(AiSettingsWrite body, string done, CancellationToken ct)
    {
        switch (await settings.UpdateAsync(body, ct))
        {
            case Outcome<AiSettingsDto>.Ok:
                Flash(done);
                return LocalRedirect("/settings/ai");
            case Outcome<AiSettingsDto>.Invalid invalid:
                ShowErrors(invalid.Errors);
                return null;
            default:
                return Forbid();
        }
    }

    /// <summary>What the page shows; the form that was just posted keeps what was typed.</summary>
    private async Task LoadAsync(CancellationToken ct, bool policyForm, bool modelForm)
    {
        Current = await settings.GetAsync(ct);
        if (policyForm)
            Form = new AiPolicyForm { AutoCreateMinPriority = Current.AutoCreateMinPriority, MinConfidence = Math.Round(Current.MinConfidence * 100).ToString(CultureInfo.InvariantCulture) };
        if (modelForm)
            ModelForm = new AiModelForm
            {
                LlmEnabled = Current.LlmEnabled, NeverExternal = Current.NeverExternal, LlmEndpoint = Current.LlmEndpoint, LlmModel = Current.LlmModel,
                MonthlyTokenBudget = Current.MonthlyTokenBudget.ToString(CultureInfo.InvariantCulture),
            };
        Usage = await settings.UsageAsync(ct) is Outcome<AiUsageDto>.Ok usage ? usage.Value : null;
        Providers = await voiceAgents.ListAsync(ct) is Outcome<IReadOnlyList<VoiceAgentIntegrationDto>>.Ok ok ? ok.Value : [];
    }
}
