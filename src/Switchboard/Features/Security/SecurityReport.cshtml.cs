using Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Features.Security;

/// <summary>/settings/security/report: the tenant's security report (admins), the same as the API's.</summary>
public sealed class SecurityReportModel(SecurityReports reports, TenantContext ctx) : AppPageModel
{
    public SecurityReportDto Report { get; private set; } = null!;
    public TenantSettings? Tenant => ctx.Tenant;

    /// <summary>What the workspace's two-factor requirement means for the members listed without one.</summary>
    public string SecondFactorHint => Report.Mfa switch
    {
        MfaRequirements.Everyone => "This workspace requires two-factor sign-in of everyone: these members are walked through enrolment at their next sign-in.",
        MfaRequirements.Admins => "This workspace requires two-factor sign-in of admins and managers only. Require it of everyone under Security settings.",
        _ => "This workspace does not require two-factor sign-in. Require it under Security settings, or ask these members to turn it on in their profile.",
    };

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
