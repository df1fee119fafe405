namespace Switchboard.Features.Opportunities;

/// <summary>The pipeline and product rows of the role matrix; opportunities themselves follow RecordPermissions.</summary>
public static class OpportunityPermissions
{
    public static bool CanManagePipelines(TenantContext ctx) => ctx.Role is TenantRole.Superadmin or TenantRole.Admin;

    public static bool CanManageProducts(TenantContext ctx) => ctx.Role is TenantRole.Superadmin or TenantRole.Admin or TenantRole.Manager;
}
