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
    public DateTimeOffset UpdatedAt { get; set; }

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

public sealed record AiSettingsDto(string AutoCreateMinPriority, double MinConfidence);

/// <summary>The body of PATCH /api/v1/ai/settings (absent = unchanged).</summary>
public sealed record AiSettingsWrite : RequestBody
{
    /// <summary>high, medium or none.</summary>
    public Optional<string?> AutoCreateMinPriority { get; init; }
    /// <summary>0 to 1.</summary>
    public Optional<double?> MinConfidence { get; init; }
}

/// <summary>Reading and changing the tenant's AI policy (administrators change it).</summary>
[Scoped]
public sealed class AiSettingsService(SwitchboardDbContext db, TenantContext ctx)
{
    public async Task<AiPolicy> PolicyAsync(CancellationToken ct) => AiPolicy.Of(await db.Set<AiSettings>().AsNoTracking().SingleOrDefaultAsync(ct));

    public async Task<AiSettingsDto> GetAsync(CancellationToken ct) => ToDto(await PolicyAsync(ct));

    public async Task<Outcome<AiSettingsDto>> UpdateAsync(AiSettingsWrite body, CancellationToken ct)
    {
        if (ctx.Role is not (TenantRole.Admin or TenantRole.Superadmin)) return new Outcome<AiSettingsDto>.Forbidden("Only administrators can change the AI settings.");
        var errors = body.BindingErrors();
        if (body.AutoCreateMinPriority is { IsSet: true, Value: var threshold } && (threshold is null || !AiPolicy.Thresholds.Contains(threshold)))
            errors.Add("autoCreateMinPriority", "Create tasks at once for: 'high', 'medium' or 'none'.");
        if (body.MinConfidence is { IsSet: true, Value: var confidence } && confidence is not (>= 0 and <= 1))
            errors.Add("minConfidence", "The confidence must be between 0 and 1.");
        if (!errors.IsValid) return new Outcome<AiSettingsDto>.Invalid(errors.ToDictionary());

        var settings = await db.Set<AiSettings>().SingleOrDefaultAsync(ct);
        if (settings is null) db.Add(settings = new AiSettings { TenantId = ctx.RequiredTenantId });
        if (body.AutoCreateMinPriority.IsSet) settings.AutoCreateMinPriority = body.AutoCreateMinPriority.Value!;
        if (body.MinConfidence.IsSet) settings.MinConfidence = Math.Round((decimal)body.MinConfidence.Value!.Value, 2);
        await db.SaveChangesAsync(ct);
        return ToDto(AiPolicy.Of(settings));
    }

    private static AiSettingsDto ToDto(AiPolicy policy) => new(policy.AutoCreateMinPriority, policy.MinConfidence);
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
