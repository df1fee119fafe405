using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Support.Triage;

/// <summary>The tenant's support settings (one row; the defaults hold until an administrator saves them).</summary>
public sealed class SupportSettings : ITenantOwned, IAudited, IUpdateStamped
{
    public Guid TenantId { get; set; }
    /// <summary>[{name, keywords: [...]}], in the order ties are broken.</summary>
    public required JsonDocument Categories { get; set; }
    /// <summary>{urgent|high|normal|low: {firstResponseHours, resolutionHours, businessHours}}.</summary>
    public required JsonDocument SlaTargets { get; set; }
    /// <summary>{category: Liquid template}; "other" is the template of every category without one.</summary>
    public required JsonDocument ReplyTemplates { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string AuditEntityType => "support-settings";
    public string AuditEntityId => TenantId.ToString();

    public SupportConfiguration ToConfiguration() => new(
        Categories.Deserialize<List<SupportCategory>>(JsonSerializerOptions.Web) ?? [],
        SlaTargets.Deserialize<Dictionary<string, SlaTarget>>(JsonSerializerOptions.Web) ?? [],
        ReplyTemplates.Deserialize<Dictionary<string, string>>(JsonSerializerOptions.Web) ?? []);
}

internal sealed class SupportSettingsConfiguration : IEntityTypeConfiguration<SupportSettings>
{
    public void Configure(EntityTypeBuilder<SupportSettings> e)
    {
        e.ToTable("support_settings").HasKey(s => s.TenantId);
        e.Property(s => s.TenantId).ValueGeneratedNever();
        e.Property(s => s.Categories).HasColumnType("jsonb");
        e.Property(s => s.SlaTargets).HasColumnType("jsonb");
        e.Property(s => s.ReplyTemplates).HasColumnType("jsonb");
    }
}

/// <summary>The support settings as the API answers and takes them (PUT replaces them whole).</summary>
public sealed record SupportSettingsDto(
    IReadOnlyList<SupportCategory> Categories, IReadOnlyDictionary<string, SlaTarget> SlaTargets, IReadOnlyDictionary<string, string> ReplyTemplates, bool IsDefault);

public sealed record SupportCategoryWrite(string? Name, IReadOnlyList<string>? Keywords);

public sealed record SlaTargetWrite(int? FirstResponseHours, int? ResolutionHours, bool? BusinessHours);

/// <summary>The body of PUT /api/v1/support/settings: the whole settings.</summary>
public sealed record SupportSettingsWrite : RequestBody
{
    /// <summary>1 to 30 categories: name (lower case letters, digits, - and _, up to 40; not "other", which always exists) and up to 100 keywords (each up to 60 characters).</summary>
    public IReadOnlyList<SupportCategoryWrite>? Categories { get; init; }
    /// <summary>For each of urgent, high, normal, low: first response and resolution in hours (1 to 8,760; resolution not before first response) and whether they count business hours.</summary>
    public IReadOnlyDictionary<string, SlaTargetWrite>? SlaTargets { get; init; }
    /// <summary>Per category (or "other"): a Liquid template (up to 4,000 characters) with first_name and ticket_reference.</summary>
    public IReadOnlyDictionary<string, string>? ReplyTemplates { get; init; }
}

/// <summary>Reading (members) and replacing (administrators) the tenant's support settings.</summary>
[Scoped]
public sealed partial class SupportSettingsService(SwitchboardDbContext db, TenantContext ctx)
{
    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    public async Task<SupportConfiguration> ConfigurationAsync(CancellationToken ct) =>
        (await db.Set<SupportSettings>().AsNoTracking().SingleOrDefaultAsync(ct))?.ToConfiguration() ?? SupportConfiguration.Defaults;

    public async Task<SupportSettingsDto> GetAsync(CancellationToken ct)
    {
        var row = await db.Set<SupportSettings>().AsNoTracking().SingleOrDefaultAsync(ct);
        var config = row?.ToConfiguration() ?? SupportConfiguration.Defaults;
        return new SupportSettingsDto(config.Categories, config.Sla, config.ReplyTemplates, row is null);
    }

    public async Task<Outcome<SupportSettingsDto>> PutAsync(SupportSettingsWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<SupportSettingsDto>.Forbidden("Only administrators can change the support settings.");
        var errors = body.BindingErrors();
        var categories = new List<SupportCategory>();
        if (body.Categories is null or { Count: 0 }) errors.Add("categories", "Give at least one category.");
        else if (body.Categories.Count > 30) errors.Add("categories", "At most 30 categories.");
        else
        {
            for (var i = 0; i < body.Categories.Count; i++)
            {
                var c = body.Categories[i];
                var name = c?.Name?.Trim().ToLowerInvariant() ?? "";
                if (!CategoryName().IsMatch(name)) errors.Add($"categories[{i}].name", "A category name is 1 to 40 lower-case letters, digits, - or _.");
                else if (name == SupportConfiguration.Other) errors.Add($"categories[{i}].name", "\"other\" always exists; do not list it.");
                else if (categories.Any(x => x.Name == name)) errors.Add($"categories[{i}].name", $"\"{name}\" is listed twice.");
                var keywords = (c?.Keywords ?? []).Select(k => k?.Trim() ?? "").Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (keywords.Count > 100) errors.Add($"categories[{i}].keywords", "At most 100 keywords.");
                if (keywords.Any(k => k.Length > 60)) errors.Add($"categories[{i}].keywords", "A keyword can be at most 60 characters.");
                categories.Add(new SupportCategory(name, keywords));
            }
        }
        var sla = new Dictionary<string, SlaTarget>();
        foreach (var priority in TriagePriorities.All)
        {
            if (body.SlaTargets is null || !body.SlaTargets.TryGetValue(priority, out var t) || t is null)
            {
                errors.Add($"slaTargets.{priority}", $"Give the {priority} targets.");
                continue;
            }
            if (t.FirstResponseHours is not (>= 1 and <= 8_760)) errors.Add($"slaTargets.{priority}.firstResponseHours", "From 1 to 8,760 hours.");
            if (t.ResolutionHours is not (>= 1 and <= 8_760)) errors.Add($"slaTargets.{priority}.resolutionHours", "From 1 to 8,760 hours.");
            else if (t.FirstResponseHours is { } first && t.ResolutionHours < first) errors.Add($"slaTargets.{priority}.resolutionHours", "Resolution cannot come before the first response.");
            sla[priority] = new SlaTarget(t.FirstResponseHours ?? 0, t.ResolutionHours ?? 0, t.BusinessHours ?? true);
        }
        foreach (var key in body.SlaTargets?.Keys.Except(TriagePriorities.All) ?? [])
            errors.Add($"slaTargets.{key}", "Priorities are urgent, high, normal and low.");
        var templates = new Dictionary<string, string>();
        foreach (var (key, template) in body.ReplyTemplates ?? new Dictionary<string, string>())
        {
            var field = $"replyTemplates.{key}";
            if (key != SupportConfiguration.Other && !categories.Any(c => c.Name == key)) errors.Add(field, $"\"{key}\" is not one of the categories (or \"other\").");
            else if (string.IsNullOrWhiteSpace(template)) errors.Add(field, "The template is empty.");
            else if (template.Length > Triage.ReplyTemplates.MaxLength) errors.Add(field, $"A template can be at most {Triage.ReplyTemplates.MaxLength:N0} characters.");
            else if (Triage.ReplyTemplates.Problem(template) is { } problem) errors.Add(field, problem);
            else templates[key] = template;
        }
        if (!errors.IsValid) return new Outcome<SupportSettingsDto>.Invalid(errors.ToDictionary());

        var row = await db.Set<SupportSettings>().SingleOrDefaultAsync(ct);
        var categoriesJson = JsonSerializer.SerializeToDocument(categories, JsonSerializerOptions.Web);
        var slaJson = JsonSerializer.SerializeToDocument(sla, JsonSerializerOptions.Web);
        var templatesJson = JsonSerializer.SerializeToDocument(templates, JsonSerializerOptions.Web);
        if (row is null)
            db.Add(row = new SupportSettings { TenantId = ctx.RequiredTenantId, Categories = categoriesJson, SlaTargets = slaJson, ReplyTemplates = templatesJson });
        else
            (row.Categories, row.SlaTargets, row.ReplyTemplates) = (categoriesJson, slaJson, templatesJson);
        await db.SaveChangesAsync(ct);
        return new SupportSettingsDto(categories, sla, templates, false);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial System.Text.RegularExpressions.Regex CategoryName();
}
