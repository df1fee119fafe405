using Microsoft.AspNetCore.WebUtilities;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Audit;

public sealed class IndexModel(AuditQueries audit, AuditExport export, AuditRetention retention, AuditChainVerifier verifier, TenantContext ctx, SwitchboardDbContext db)
    : AppPageModel
{
    public const int PageSize = 50;

    /// <summary>The "Who" choices that are not a member: value (an actor type) and label.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> OtherActors =
    [
        (AuditActorTypes.System, "System"), (AuditActorTypes.ApiKey, "API keys"), (AuditActorTypes.Ai, "AI"), (AuditActorTypes.Anonymous, "Anonymous"),
    ];

    /// <summary>The kinds of record the log holds events for, as the filter offers them.</summary>
    public IReadOnlyList<(string Value, string Label)> Entities { get; private set; } = [];

    /// <summary>The actions the log holds, as the filter offers them.</summary>
    public IReadOnlyList<(string Value, string Label)> Actions { get; private set; } = [];

    public IReadOnlyList<OwnerOption> Members { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }

    /// <summary>A member's id, or an actor type of <see cref="OtherActors"/>.</summary>
    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "action")] public string? ActionName { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    /// <summary>The retention form's value: days, or empty for ever.</summary>
    [BindProperty] public string? RetentionDays { get; set; }

    public PagedList<AuditEntryDto> Results { get; private set; } = new([], 0, 1, PageSize);
    public TenantSettings? Tenant => ctx.Tenant;
    /// <summary>Names for the ids on this page (members, accounts, contacts, opportunities) and the viewer's zone.</summary>
    public AuditFormat Format { get; private set; } = AuditFormat.Plain;
    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);
    public bool IsFiltered => Filters.Any(kv => kv.Value is not null);

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (ctx.TenantId is null || !AuditQueries.CanView(ctx)) return Forbid();
        var outcome = await audit.ListAsync(Query(Math.Max(1, pageNumber ?? 1)), ct);
        if (outcome is Outcome<PagedList<AuditEntryDto>>.Invalid invalid) ShowErrors(invalid.Errors);
        else if (outcome is Outcome<PagedList<AuditEntryDto>>.Ok ok) Results = ok.Value;
        else return Forbid();
        return await ShowAsync(ct);
    }

    /// <summary>The rows the filters select, as a CSV or JSON download (audited by the export itself).</summary>
    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken ct)
    {
        if (ctx.TenantId is null || !AuditQueries.CanView(ctx)) return Forbid();
        switch (await export.PlanAsync(Query(1), format))
        {
            case Outcome<AuditExportPlan>.Ok ok:
                await export.WriteAsync(Response, ok.Value, ct);
                return new EmptyResult();
            case Outcome<AuditExportPlan>.Invalid invalid:
                ShowErrors(invalid.Errors);
                return await ShowAsync(ct);
            default:
                return Forbid();
        }
    }

    public async Task<IActionResult> OnPostRetentionAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null || !AuditQueries.CanView(ctx)) return Forbid();
        int? days = null;
        Outcome<AuditRetentionDto>? refused = null;
        if (!string.IsNullOrWhiteSpace(RetentionDays))
        {
            if (int.TryParse(RetentionDays.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) days = parsed;
            else refused = new Outcome<AuditRetentionDto>.Invalid(new Dictionary<string, string[]> { ["retentionDays"] = ["Enter a whole number of days, or leave it empty."] });
        }
        return FlashAndRedirect(refused ?? await retention.UpdateAsync(new AuditRetentionWrite { RetentionDays = Optional.Of(days) }, ct),
            saved => saved.RetentionDays is { } kept ? $"Audit events are now kept for {kept:N0} days." : "Audit events are now kept for ever.", "/audit");
    }

    /// <summary>Recomputes the tenant's chain and says what it found.</summary>
    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        if (ctx.TenantId is not { } tenantId || !AuditQueries.CanView(ctx)) return Forbid();
        var report = await verifier.VerifyAsync(tenantId, ct);
        if (report.Ok) Flash($"The audit log is intact: {report.Checked:N0} events checked, each against its hash and the one before it.");
        else Flash($"The audit log does not verify. {report.Problem} {report.Checked:N0} events before it check out.", FlashKind.Error);
        return LocalRedirect("/audit");
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        Members = await LeadOwners.ListAsync(db, ct);
        var names = await AuditNames.ForAsync(db, Members, Results.Items.SelectMany(e => AuditText.Ids(e.Changes)), ct);
        Format = new AuditFormat(Tenant, names);
        var kinds = await audit.EntityTypesAsync(ct);
        if (Entity is { Length: > 0 } chosen && !kinds.Contains(chosen)) kinds = [.. kinds, chosen];
        Entities = kinds.Select(k => (k, EntityLabel(k))).OrderBy(e => e.Item2, StringComparer.CurrentCulture).ToList();
        var actions = await audit.ActionsAsync(ct);
        if (ActionName is { Length: > 0 } asked && !actions.Contains(asked)) actions = [.. actions, asked];
        Actions = actions.Select(a => (a, AuditActions.LabelOf(a))).OrderBy(a => a.Item2, StringComparer.CurrentCulture).ToList();
        if (RetentionDays is null && !HasErrors && await retention.GetAsync(ct) is Outcome<AuditRetentionDto>.Ok { Value: var kept })
            RetentionDays = kept.RetentionDays?.ToString(CultureInfo.InvariantCulture);
        return Page();
    }

    /// <summary>The page's filters as the audit queries take them: a member's id in Actor is a user actor.</summary>
    private AuditQuery Query(int page)
    {
        var member = Guid.TryParse(Actor, out var id);
        return new AuditQuery(Entity, null, ActionName, page, PageSize, null,
            member ? AuditActorTypes.User : Actor, member ? id.ToString() : null, From, To);
    }

    private Dictionary<string, string?> Filters => new()
    {
        ["entity"] = Blank(Entity), ["actor"] = Blank(Actor), ["action"] = Blank(ActionName), ["from"] = Blank(From), ["to"] = Blank(To),
    };

    public string Link(int page) => QueryHelpers.AddQueryString("/audit",
        Filters.Append(new("page", page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null)).Where(kv => kv.Value is not null));

    public string ExportLink(string format) => QueryHelpers.AddQueryString("/audit",
        Filters.Append(new("handler", "export")).Append(new("format", format)).Where(kv => kv.Value is not null));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>"custom-field" → "Custom fields"; the names people know for the rest.</summary>
    public static string EntityLabel(string type) => type switch
    {
        "opportunity" => "Opportunities",
        "activity" => "Tasks and activities",
        "dnc" => "Do-not-call list",
        "calling-settings" => "Calling rules",
        "saved-view" => "Saved views",
        "membership" => "Memberships",
        "audit-log" => "Audit log",
        _ => AuditText.FieldLabel(string.Concat(type.Split('-').Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]))) + "s",
    };

    /// <summary>The page of the record an event is about, for the records that have one (not after a delete).</summary>
    public static string EntityLink(AuditEntryDto entry) =>
        !AuditActions.Deleted.Is(entry.Action) && entry.EntityId is { } id && Guid.TryParse(id, out var recordId)
            ? entry.EntityType switch
            {
                "lead" => $"/leads/{recordId}",
                "account" => $"/accounts/{recordId}",
                "contact" => $"/contacts/{recordId}",
                "opportunity" => $"/opportunities/{recordId}",
                _ => "",
            }
            : "";
}
