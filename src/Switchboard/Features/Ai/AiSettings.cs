using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Ai;

/// <summary>The tenant's AI policy; the defaults hold until an administrator saves it.</summary>
public sealed class AiSettings : ITenantOwned, IAudited, IUpdateStamped
{
    public Guid TenantId { get; set; }
    /// <summary>Items of this priority and above become tasks at once: "high", "medium", or "none" (every item is a suggestion).</summary>
    public string AutoCreateMinPriority { get; set; } = AiPolicy.Default.AutoCreateMinPriority;
    /// <summary>An item less sure than this is a suggestion whatever its priority.</summary>
    public decimal MinConfidence { get; set; } = (decimal)AiPolicy.Default.MinConfidence;
    /// <summary>Off: every analysis runs on the rules engine, whatever model is configured.</summary>
    public bool LlmEnabled { get; set; } = true;
    /// <summary>Transcripts go only to a model the operator runs inside the deployment (<see cref="Llm.LlmTarget.Internal"/>).</summary>
    public bool NeverExternal { get; set; }
    /// <summary>The tenant's own OpenAI-compatible endpoint and model; both or neither (null: the platform's or the configured one).</summary>
    public string? LlmEndpoint { get; set; }
    public string? LlmModel { get; set; }
    /// <summary>Encrypted with the app's data-protection keys (<see cref="Llm.LlmSecrets"/>); never returned, audited as changed only.</summary>
    [AuditSecret] public string? LlmApiKey { get; set; }
    /// <summary>Tokens (input and output) the tenant's model requests may use per calendar month (UTC).</summary>
    public long MonthlyTokenBudget { get; set; } = DefaultMonthlyTokenBudget;
    public DateTimeOffset UpdatedAt { get; set; }

    public const long DefaultMonthlyTokenBudget = 1_000_000;
    public const long MaxMonthlyTokenBudget = 1_000_000_000;

    public string AuditEntityType => "ai-settings";
    public string AuditEntityId => TenantId.ToString();
}

/// <summary>The policy an analysis applies: which of its items become tasks without asking the agent.</summary>
public sealed record AiPolicy(string AutoCreateMinPriority, double MinConfidence)
{
    public static readonly AiPolicy Default = new("medium", Rules.RulesEngine.FirmConfidence);
    public static readonly IReadOnlyList<string> Thresholds = ["high", "medium", "none"];

    public static AiPolicy Of(AiSettings? settings) =>
        settings is null ? Default : new AiPolicy(settings.AutoCreateMinPriority, (double)settings.MinConfidence);

    /// <summary>Whether an item becomes a task at once: ours to do, sure enough, and of a priority the tenant lets through.</summary>
    public bool CreatesAtOnce(string owner, string priority, double confidence) =>
        owner == Engines.Speakers.Agent && confidence >= MinConfidence && AutoCreateMinPriority switch
        {
            "high" => priority == "high",
            "medium" => priority is "high" or "medium",
            _ => false,
        };
}

/// <summary>
/// The tenant's AI settings as the API answers them. The model fields are the tenant's own (null: none); the key is
/// never returned, only whether one is set. <paramref name="ModelInUse"/> is what an analysis would use now, or null
/// with <paramref name="RulesOnlyBecause"/>.
/// </summary>
public sealed record AiSettingsDto(
    string AutoCreateMinPriority, double MinConfidence, bool LlmEnabled, bool NeverExternal, string? LlmEndpoint, string? LlmModel, bool LlmApiKeySet,
    long MonthlyTokenBudget, AiModelInUse? ModelInUse, string? RulesOnlyBecause);

/// <summary>The model an analysis would go to: where it was set (tenant, platform, configuration) and its name.</summary>
public sealed record AiModelInUse(string Source, string Model, bool Internal);


/// <summary>The body of PATCH /api/v1/ai/settings (absent = unchanged).</summary>
public sealed record AiSettingsWrite : RequestBody
{
    /// <summary>high, medium or none.</summary>
    public Optional<string?> AutoCreateMinPriority { get; init; }
    /// <summary>0 to 1.</summary>
    public Optional<double?> MinConfidence { get; init; }
    /// <summary>Use the LLM engine when a model is available (true) or the rules engine always (false).</summary>
    public Optional<bool?> LlmEnabled { get; init; }
    /// <summary>Send transcripts only to a model the operator runs inside the deployment.</summary>
    public Optional<bool?> NeverExternal { get; init; }
    /// <summary>The tenant's own OpenAI-compatible base URL (https, public), e.g. https://api.openai.com/v1; null clears it with the model and key.</summary>
    public Optional<string?> LlmEndpoint { get; init; }
    /// <summary>The model name at that endpoint, e.g. gpt-4o-mini.</summary>
    public Optional<string?> LlmModel { get; init; }
    /// <summary>The endpoint's API key: write-only, stored encrypted; null or "" removes it.</summary>
    public Optional<string?> LlmApiKey { get; init; }
    /// <summary>Tokens per calendar month (UTC), 0 to 1,000,000,000; 0 stops the LLM engine until the month ends.</summary>
    public Optional<long?> MonthlyTokenBudget { get; init; }
}

/// <summary>Reading and changing the tenant's AI settings (administrators change them).</summary>
[Scoped]
public sealed class AiSettingsService(
    SwitchboardDbContext db, TenantContext ctx, Llm.LlmTargets targets, Llm.LlmSecrets secrets, Llm.LlmUsageLedger ledger, PrivateNetworkGuard guard)
{
    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    public async Task<Outcome<Llm.AiUsageDto>> UsageAsync(CancellationToken ct) =>
        CanManage(ctx)
            ? await ledger.ThisMonthAsync(await MonthlyTokenBudgetAsync(ct), ct)
            : new Outcome<Llm.AiUsageDto>.Forbidden("Only administrators can see the AI usage.");

    public async Task<AiPolicy> PolicyAsync(CancellationToken ct) => AiPolicy.Of(await db.Set<AiSettings>().AsNoTracking().SingleOrDefaultAsync(ct));

    private async Task<long> MonthlyTokenBudgetAsync(CancellationToken ct) =>
        await db.Set<AiSettings>().Select(s => (long?)s.MonthlyTokenBudget).SingleOrDefaultAsync(ct) ?? AiSettings.DefaultMonthlyTokenBudget;

    public async Task<AiSettingsDto> GetAsync(CancellationToken ct) =>
        await ToDtoAsync(await db.Set<AiSettings>().AsNoTracking().SingleOrDefaultAsync(ct), ct);

    public async Task<Outcome<AiSettingsDto>> UpdateAsync(AiSettingsWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<AiSettingsDto>.Forbidden("Only administrators can change the AI settings.");
        var errors = body.BindingErrors();
        if (body.AutoCreateMinPriority is { IsSet: true, Value: var threshold } && (threshold is null || !AiPolicy.Thresholds.Contains(threshold)))
            errors.Add("autoCreateMinPriority", "Create tasks at once for: 'high', 'medium' or 'none'.");
        if (body.MinConfidence is { IsSet: true, Value: var confidence } && confidence is not (>= 0 and <= 1))
            errors.Add("minConfidence", "The confidence must be between 0 and 1.");
        if (body.MonthlyTokenBudget is { IsSet: true, Value: var budget } && budget is not (>= 0 and <= AiSettings.MaxMonthlyTokenBudget))
            errors.Add("monthlyTokenBudget", $"The monthly token budget must be from 0 to {AiSettings.MaxMonthlyTokenBudget:N0}.");
        if (body.LlmEnabled is { IsSet: true, Value: null }) errors.Add("llmEnabled", "Say true or false.");
        if (body.NeverExternal is { IsSet: true, Value: null }) errors.Add("neverExternal", "Say true or false.");
        if (body.LlmModel is { IsSet: true, Value: { Length: > 100 } }) errors.Add("llmModel", "The model name can be at most 100 characters.");
        if (body.LlmApiKey is { IsSet: true, Value: { Length: > 500 } }) errors.Add("llmApiKey", "The API key can be at most 500 characters.");
        var endpoint = body.LlmEndpoint is { IsSet: true, Value: var posted } ? (string.IsNullOrWhiteSpace(posted) ? null : posted.Trim().TrimEnd('/')) : null;
        if (endpoint is not null && (endpoint.Length > 500 ? "The endpoint can be at most 500 characters." : await guard.ProblemAsync(endpoint, ct)) is { } problem)
            errors.Add("llmEndpoint", problem);
        if (!errors.IsValid) return new Outcome<AiSettingsDto>.Invalid(errors.ToDictionary());

        var settings = await db.Set<AiSettings>().SingleOrDefaultAsync(ct);
        if (settings is null) db.Add(settings = new AiSettings { TenantId = ctx.RequiredTenantId });
        if (body.AutoCreateMinPriority.IsSet) settings.AutoCreateMinPriority = body.AutoCreateMinPriority.Value!;
        if (body.MinConfidence.IsSet) settings.MinConfidence = Math.Round((decimal)body.MinConfidence.Value!.Value, 2);
        if (body.LlmEnabled.IsSet) settings.LlmEnabled = body.LlmEnabled.Value!.Value;
        if (body.NeverExternal.IsSet) settings.NeverExternal = body.NeverExternal.Value!.Value;
        if (body.MonthlyTokenBudget.IsSet) settings.MonthlyTokenBudget = body.MonthlyTokenBudget.Value!.Value;
        if (body.LlmEndpoint.IsSet)
        {
            settings.LlmEndpoint = endpoint;
            // Clearing the endpoint forgets the model and key that went with it.
            if (endpoint is null) (settings.LlmModel, settings.LlmApiKey) = (null, null);
        }
        if (body.LlmModel.IsSet) settings.LlmModel = string.IsNullOrWhiteSpace(body.LlmModel.Value) ? null : body.LlmModel.Value.Trim();
        if (body.LlmApiKey.IsSet) settings.LlmApiKey = string.IsNullOrEmpty(body.LlmApiKey.Value) ? null : secrets.Protect(body.LlmApiKey.Value);

        if (settings.LlmEndpoint is not null && settings.LlmModel is null) errors.Add("llmModel", "Enter the model to use at this endpoint.");
        if (settings.LlmEndpoint is null && settings.LlmModel is not null) errors.Add("llmEndpoint", "Enter the endpoint this model is served at.");
        if (settings.NeverExternal && settings.LlmEndpoint is not null)
            errors.Add("neverExternal", "A model at your own endpoint is an external model: remove the endpoint, or allow external models.");
        if (!errors.IsValid) return new Outcome<AiSettingsDto>.Invalid(errors.ToDictionary());

        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(settings, ct);
    }

    private async Task<AiSettingsDto> ToDtoAsync(AiSettings? settings, CancellationToken ct)
    {
        var policy = AiPolicy.Of(settings);
        var (target, unavailable, budget) = await targets.ResolveAsync(ct);
        return new AiSettingsDto(
            policy.AutoCreateMinPriority, policy.MinConfidence, settings?.LlmEnabled ?? true, settings?.NeverExternal ?? false,
            settings?.LlmEndpoint, settings?.LlmModel, settings?.LlmApiKey is not null, budget,
            target is null ? null : new AiModelInUse(target.Source, target.Model, target.Internal), unavailable);
    }
}

internal sealed class AiSettingsConfiguration : IEntityTypeConfiguration<AiSettings>
{
    public void Configure(EntityTypeBuilder<AiSettings> e)
    {
        e.ToTable("ai_settings").HasKey(s => s.TenantId);
        e.Property(s => s.TenantId).ValueGeneratedNever();
        e.Property(s => s.MinConfidence).HasPrecision(3, 2);
    }
}
