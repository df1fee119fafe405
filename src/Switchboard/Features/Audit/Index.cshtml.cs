using Microsoft.AspNetCore.WebUtilities;
using Switchboard.Features.Leads;
using Switchboard.Features.Dialer;

namespace Switchboard.Features.Audit;

public sealed class IndexModel(AuditQueries audit, TenantContext ctx, SwitchboardDbContext db) : AppPageModel
{
    public const int PageSize = 50;
    /// <summary>The kinds of record the log holds events for, as the filter offers them.</summary>
    public IReadOnlyList<(string Value, string Label)> Entities { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }
    public PagedList<AuditEntryDto> Results { get; private set; } = new([], 0, 1, PageSize);
    public TenantSettings? Tenant => ctx.Tenant;
    /// <summary>Names for the ids on this page (members, accounts, contacts, opportunities) and the viewer's zone.</summary>
    public AuditFormat Format { get; private set; } = AuditFormat.Plain;
    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (ctx.TenantId is null || !AuditQueries.CanView(ctx)) return Forbid();
        var outcome = await audit.ListAsync(new AuditQuery(Entity, null, null, Math.Max(1, pageNumber ?? 1), PageSize), ct);
        if (outcome is not Outcome<PagedList<AuditEntryDto>>.Ok ok) return BadRequest();
        Results = ok.Value;
        var names = await AuditNames.ForAsync(db, await LeadOwners.ListAsync(db, ct), Results.Items.SelectMany(e => AuditText.Ids(e.Changes)), ct);
        Format = new AuditFormat(Tenant, names);
        var kinds = await audit.EntityTypesAsync(ct);
        if (Entity is { Length: > 0 } chosen && !kinds.Contains(chosen)) kinds = [.. kinds, chosen];
        Entities = kinds.Select(k => (k, EntityLabel(k))).OrderBy(e => e.Item2, StringComparer.CurrentCulture).ToList();
        return Page();
    }

    public string Link(int page) => QueryHelpers.AddQueryString("/audit",
        new Dictionary<string, string?> { ["entity"] = Entity, ["page"] = page > 1 ? page.ToString() : null }.Where(kv => kv.Value is not null));

    /// <summary>"custom-field" → "Custom fields"; the names people know for the rest.</summary>
    public static string EntityLabel(string type) => type switch
    {
        "opportunity" => "Opportunities",
        "activity" => "Tasks and activities",
        "dnc" => "Do-not-call list",
        "calling-settings" => "Calling rules",
        "saved-view" => "Saved views",
        "membership" => "Memberships",
        _ => AuditText.FieldLabel(string.Concat(type.Split('-').Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]))) + "s",
    };

    /// <summary>The page of the record an event is about, for the records that have one (not after a delete).</summary>
    public static string EntityLink(AuditEntryDto entry) =>
        entry is { Action: not "delete", EntityId: { } id } && Guid.TryParse(id, out var recordId)
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
