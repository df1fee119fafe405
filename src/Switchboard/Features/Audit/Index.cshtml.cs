using Microsoft.AspNetCore.WebUtilities;
using Switchboard.Features.Leads;
using Switchboard.Features.Dialer;

namespace Switchboard.Features.Audit;

public sealed class IndexModel(AuditQueries audit, TenantContext ctx, SwitchboardDbContext db) : AppPageModel
{
    public const int PageSize = 50;
    public static readonly IReadOnlyList<(string Value, string Label)> Entities = [("lead", "Leads"), ("user", "Users"), ("membership", "Memberships")];

    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }
    public PagedList<AuditEntryDto> Results { get; private set; } = new([], 0, 1, PageSize);
    public TenantSettings? Tenant => ctx.Tenant;
    public IReadOnlyDictionary<Guid, string> MemberNames { get; private set; } = new Dictionary<Guid, string>();
    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (ctx.TenantId is null || !AuditQueries.CanView(ctx)) return Forbid();
        var outcome = await audit.ListAsync(new AuditQuery(Entity, null, null, Math.Max(1, pageNumber ?? 1), PageSize), ct);
        if (outcome is not Outcome<PagedList<AuditEntryDto>>.Ok ok) return BadRequest();
        Results = ok.Value;
        MemberNames = (await LeadOwners.ListAsync(db, ct)).ToDictionary(o => o.Id, o => o.Name);
        return Page();
    }

    public string Link(int page) => QueryHelpers.AddQueryString("/audit",
        new Dictionary<string, string?> { ["entity"] = Entity, ["page"] = page > 1 ? page.ToString() : null }.Where(kv => kv.Value is not null));

    public static string EntityLink(AuditEntryDto entry) =>
        entry is { EntityType: "lead", Action: not "delete", EntityId: { } id } && Guid.TryParse(id, out var leadId) ? $"/leads/{leadId}" : "";
}
