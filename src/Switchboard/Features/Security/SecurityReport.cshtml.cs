namespace Switchboard.Features.Security;

/// <summary>/settings/security/report: the tenant's security report (admins), the same as the API's.</summary>
public sealed class SecurityReportModel(SecurityReports reports, TenantContext ctx) : AppPageModel
{
    public SecurityReportDto Report { get; private set; } = null!;
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await reports.GetAsync(ct) is not Outcome<SecurityReportDto>.Ok { Value: var report }) return Forbid();
        Report = report;
        return Page();
    }
}

/// <summary>One list of members on the report page (partial _ReportMembers).</summary>
public sealed record ReportMembersSection(string Id, string Title, string Hint, string Empty, IReadOnlyList<ReportMember> Members, TenantSettings? Tenant);

/// <summary>One list of API keys on the report page (partial _ReportKeys).</summary>
public sealed record ReportKeysSection(string Id, string Title, string Hint, string Empty, IReadOnlyList<ReportKey> Keys, TenantSettings? Tenant);
