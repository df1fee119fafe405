using Switchboard.Features.Ai.VoiceAgents;

namespace Switchboard.Features.Ai;

public sealed class AiPolicyForm
{
    public string? AutoCreateMinPriority { get; set; }
    /// <summary>Percent, 0–100, as the page shows it.</summary>
    public string? MinConfidence { get; set; }
}

/// <summary>The administrators' AI page: which follow-ups become tasks at once, and the voice-agent providers the tenant takes calls from.</summary>
public sealed class AiSettingsModel(AiSettingsService settings, VoiceAgentIntegrations voiceAgents, TenantContext ctx) : AppPageModel
{
    [BindProperty] public AiPolicyForm Form { get; set; } = new();
    public IReadOnlyList<VoiceAgentIntegrationDto> Providers { get; private set; } = [];

    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        var policy = await settings.GetAsync(ct);
        Form = new AiPolicyForm { AutoCreateMinPriority = policy.AutoCreateMinPriority, MinConfidence = Math.Round(policy.MinConfidence * 100).ToString(CultureInfo.InvariantCulture) };
        await LoadProvidersAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        var percent = double.TryParse(Form.MinConfidence, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : (double?)null;
        if (percent is null) AddError("minConfidence", "Enter a number from 0 to 100.");
        else
        {
            var body = new AiSettingsWrite { AutoCreateMinPriority = Optional.Text(Form.AutoCreateMinPriority), MinConfidence = Optional.Of<double?>(percent / 100) };
            switch (await settings.UpdateAsync(body, ct))
            {
                case Outcome<AiSettingsDto>.Ok:
                    Flash("The AI settings were saved.");
                    return LocalRedirect("/settings/ai");
                case Outcome<AiSettingsDto>.Invalid invalid:
                    ShowErrors(invalid.Errors);
                    break;
                default:
                    return Forbid();
            }
        }
        FormError = "The AI settings were not saved: check the fields marked below.";
        await LoadProvidersAsync(ct);
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

    private async Task LoadProvidersAsync(CancellationToken ct) =>
        Providers = await voiceAgents.ListAsync(ct) is Outcome<IReadOnlyList<VoiceAgentIntegrationDto>>.Ok ok ? ok.Value : [];
}
