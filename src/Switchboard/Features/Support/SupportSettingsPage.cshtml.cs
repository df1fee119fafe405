using Switchboard.Features.Support.Triage;

namespace Switchboard.Features.Support;

public sealed class SlaRowForm
{
    public string? FirstResponseHours { get; set; }
    public string? ResolutionHours { get; set; }
    public bool BusinessHours { get; set; }
}

public sealed class SupportSettingsForm
{
    /// <summary>One category a line: "name: keyword, keyword, …".</summary>
    public string? Categories { get; set; }
    public Dictionary<string, SlaRowForm> Sla { get; set; } = [];
    public Dictionary<string, string?> Templates { get; set; } = [];
}

/// <summary>
/// Settings → Support (administrators): the categories triage chooses from with their keywords, the SLA targets per
/// priority, the reply templates per category, and a box to try the triage on an email.
/// </summary>
public sealed class SupportSettingsModel(SupportSettingsService settings, TriageService triage, TenantContext ctx) : AppPageModel
{
    [BindProperty] public SupportSettingsForm Form { get; set; } = new();
    [BindProperty] public string? TrySubject { get; set; }
    [BindProperty] public string? TryBody { get; set; }
    [BindProperty] public string? TryFrom { get; set; }
    public TriageResult? Tried { get; private set; }
    public SupportSettingsDto Current { get; private set; } = null!;
    public IReadOnlyList<string> Problems { get; private set; } = [];

    public static bool CanManage(TenantContext ctx) => SupportSettingsService.CanManage(ctx);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        await LoadAsync(fillForm: true, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        var categories = (Form.Categories ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
        {
            var colon = line.IndexOf(':');
            var name = colon < 0 ? line : line[..colon];
            var keywords = colon < 0 ? [] : line[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return new SupportCategoryWrite(name.Trim(), keywords);
        }).ToList();
        var body = new SupportSettingsWrite
        {
            Categories = categories,
            SlaTargets = TriagePriorities.All.ToDictionary(p => p, p => Form.Sla.TryGetValue(p, out var row)
                ? new SlaTargetWrite(Hours(row.FirstResponseHours), Hours(row.ResolutionHours), row.BusinessHours)
                : new SlaTargetWrite(null, null, null)),
            ReplyTemplates = Form.Templates.Where(t => !string.IsNullOrWhiteSpace(t.Value) && (t.Key == SupportConfiguration.Other || categories.Any(c => c.Name?.ToLowerInvariant() == t.Key)))
                .ToDictionary(t => t.Key, t => t.Value!),
        };
        switch (await settings.PutAsync(body, ct))
        {
            case Outcome<SupportSettingsDto>.Ok:
                Flash("The support settings were saved.");
                return LocalRedirect("/settings/support");
            case Outcome<SupportSettingsDto>.Invalid invalid:
                ShowErrors(invalid.Errors);
                Problems = invalid.Errors.SelectMany(e => e.Value.Select(m => $"{Label(e.Key, categories)}: {m}")).ToList();
                FormError = "The support settings were not saved: see below.";
                Form.Templates = TemplatesFor(categories);
                await LoadAsync(fillForm: false, ct);
                return Page();
            default:
                return Forbid();
        }
    }

    public async Task<IActionResult> OnPostTryAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        await LoadAsync(fillForm: true, ct);
        switch (await triage.TryAsync(new TriageRequest { Subject = TrySubject, Body = TryBody, FromName = TryFrom }, ct))
        {
            case Outcome<TriageResult>.Ok ok: Tried = ok.Value; break;
            case Outcome<TriageResult>.Invalid invalid: ShowErrors(invalid.Errors); break;
        }
        return Page();
    }

    private static int? Hours(string? text) => int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : null;

    /// <summary>
    /// A field of the API's errors as the page labels it: "categories[1].name" → "Category 2 (sales), name",
    /// "slaTargets.urgent.firstResponseHours" → "Urgent, first response (hours)".
    /// </summary>
    private static string Label(string field, List<SupportCategoryWrite> categories)
    {
        var m = System.Text.RegularExpressions.Regex.Match(field, @"^categories\[(\d+)\]\.(\w+)$");
        if (m.Success && int.TryParse(m.Groups[1].Value, out var i) && i < categories.Count)
            return $"Category {i + 1} ({categories[i].Name}), {m.Groups[2].Value}";
        if (field.Split('.') is ["slaTargets", var priority, var part])
            return $"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(priority)}, {part switch
            {
                "firstResponseHours" => "first response (hours)",
                "resolutionHours" => "resolution (hours)",
                _ => "business hours",
            }}";
        if (field.StartsWith("replyTemplates.", StringComparison.Ordinal)) return "Reply template for " + field["replyTemplates.".Length..];
        return field == "categories" ? "Categories" : field;
    }

    /// <summary>After a refused save: a template box for each category typed (keeping what was typed in it), then other.</summary>
    private Dictionary<string, string?> TemplatesFor(List<SupportCategoryWrite> categories) =>
        categories.Select(c => c.Name?.Trim().ToLowerInvariant()).OfType<string>().Where(n => n.Length > 0 && n != SupportConfiguration.Other)
            .Append(SupportConfiguration.Other).Distinct()
            .ToDictionary(n => n, n => Form.Templates.TryGetValue(n, out var typed) ? typed : null);

    private async Task LoadAsync(bool fillForm, CancellationToken ct)
    {
        Current = await settings.GetAsync(ct);
        if (!fillForm) return;
        Form = new SupportSettingsForm
        {
            Categories = string.Join("\n", Current.Categories.Select(c => $"{c.Name}: {string.Join(", ", c.Keywords)}")),
            Sla = Current.SlaTargets.ToDictionary(s => s.Key, s => new SlaRowForm
            {
                FirstResponseHours = s.Value.FirstResponseHours.ToString(CultureInfo.InvariantCulture),
                ResolutionHours = s.Value.ResolutionHours.ToString(CultureInfo.InvariantCulture),
                BusinessHours = s.Value.BusinessHours,
            }),
            Templates = Current.Categories.Select(c => c.Name).Append(SupportConfiguration.Other)
                .ToDictionary(n => n, n => (string?)(Current.ReplyTemplates.TryGetValue(n, out var t) ? t : null)),
        };
    }

    /// <summary>The categories the template boxes are for: the saved ones, or those typed when the save failed.</summary>
    public IEnumerable<string> TemplateKeys =>
        Form.Templates.Count > 0 ? Form.Templates.Keys : Current.Categories.Select(c => c.Name).Append(SupportConfiguration.Other);
}
