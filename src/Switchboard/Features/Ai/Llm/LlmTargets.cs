using Microsoft.AspNetCore.DataProtection;

namespace Switchboard.Features.Ai.Llm;

/// <summary>Where the model a request goes to was set: by the tenant, by the platform's superadmins, or in configuration.</summary>
public static class LlmSources
{
    public const string Tenant = "tenant";
    public const string Platform = "platform";
    public const string Configuration = "configuration";
}

/// <summary>
/// A model to send requests to. <paramref name="Internal"/>: it runs inside the deployment (declared by the operator),
/// so a tenant that never sends transcripts to an external model may use it. A tenant's own endpoint never is.
/// </summary>
public sealed record LlmTarget(string Source, Uri Endpoint, string Model, string? ApiKey, bool Internal);

/// <summary>The tenant's model (null with why not) and the tokens it may use this month, read from one settings row.</summary>
public sealed record LlmResolution(LlmTarget? Target, string? Unavailable, long MonthlyTokenBudget);

/// <summary>Why no model is used for this tenant; the rules engine is then simply the engine, not a fallback.</summary>
public static class LlmUnavailable
{
    public const string Off = "the tenant turned the LLM engine off";
    public const string NotConfigured = "no model is configured";
    public const string NeverExternal = "the tenant never sends transcripts to an external model";
}

/// <summary>
/// Finds the model for the current tenant: its own settings, else the platform's, else configuration (AI__Endpoint,
/// AI__ApiKey, AI__Model) — unless the tenant turned the engine off, or never sends transcripts to an external model
/// and the model found is not one the operator runs inside the deployment.
/// </summary>
[Scoped]
public sealed class LlmTargets(SwitchboardDbContext db, LlmSecrets secrets, PlatformAiSettings platform, IOptions<AiOptions> options)
{
    public async Task<LlmResolution> ResolveAsync(CancellationToken ct)
    {
        var settings = await db.Set<AiSettings>().AsNoTracking().SingleOrDefaultAsync(ct);
        var budget = settings?.MonthlyTokenBudget ?? AiSettings.DefaultMonthlyTokenBudget;
        if (settings is { LlmEnabled: false }) return new(null, LlmUnavailable.Off, budget);
        var target = Own(settings) ?? await platform.TargetAsync(ct) ?? Configured(options.Value);
        if (target is null) return new(null, LlmUnavailable.NotConfigured, budget);
        if (settings is { NeverExternal: true } && !target.Internal) return new(null, LlmUnavailable.NeverExternal, budget);
        return new(target, null, budget);
    }

    private LlmTarget? Own(AiSettings? settings) =>
        settings is { LlmEndpoint: { } endpoint, LlmModel: { } model }
            ? new LlmTarget(LlmSources.Tenant, new Uri(endpoint), model, settings.LlmApiKey is { } key ? secrets.Unprotect(key) : null, Internal: false)
            : null;

    /// <summary>The model configuration names (AI__Endpoint, AI__Model, AI__ApiKey), or null.</summary>
    public static LlmTarget? Configured(AiOptions options) =>
        string.IsNullOrWhiteSpace(options.Endpoint) || string.IsNullOrWhiteSpace(options.Model)
            ? null
            : new LlmTarget(LlmSources.Configuration, new Uri(options.Endpoint), options.Model, options.ApiKey, options.Internal);
}

/// <summary>Model API keys at rest: encrypted with the app's data-protection keys, read only to send a request.</summary>
[Singleton]
public sealed class LlmSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Switchboard.Ai.ModelKeys.v1");

    public string Protect(string key) => _protector.Protect(key);

    public string Unprotect(string stored) => _protector.Unprotect(stored);
}
