namespace Switchboard.Features.Security;

public static class SecurityApi
{
    public static IEndpointRouteBuilder MapSecurityApi(this IEndpointRouteBuilder app)
    {
        var current = app.MapTenantApi("/tenants/current", "Security").RefuseApiKeys();

        current.MapGet("/security", async (SecuritySettings settings, CancellationToken ct) =>
                (await settings.GetAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<SecuritySettingsDto>()
            .WithSummary("The tenant's security policy (admins): password rules and session lifetimes.");

        current.MapPatch("/security", async ([FromBody] SecuritySettingsWrite patch, SecuritySettings settings, CancellationToken ct) =>
                (await settings.UpdateAsync(patch, ct)).ToResult(value => Results.Ok(value)))
            .Accepts<SecuritySettingsWrite>("application/merge-patch+json", "application/json")
            .Produces<SecuritySettingsDto>()
            .ProducesValidationProblem()
            .WithSummary("Changes the tenant's security policy (admins; audited). New passwords meet the strictest policy among a user's tenants.");

        current.MapGet("/security/report", async (SecurityReports reports, CancellationToken ct) =>
                (await reports.GetAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<SecurityReportDto>()
            .WithSummary("The tenant's security report (admins): admins, dormant members, locked accounts, API keys without expiry or unused for 90 days, failed sign-ins in the last 24 hours.");

        return app;
    }
}
