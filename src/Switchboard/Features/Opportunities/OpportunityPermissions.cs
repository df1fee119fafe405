using Switchboard.Platform.Tenancy;

namespace Switchboard.Features.Opportunities;

/// <summary>The opportunity, pipeline and product rows of the role matrix; opportunities follow the lead rules.</summary>
public static class OpportunityPermissions
{
    /// <summary>Agents see and work only opportunities they own; every other role sees all of the tenant's.</summary>
    public static bool SeesOnlyOwn(TenantContext ctx) => ctx.Role == TenantRole.Agent;

    public static bool CanCreate(TenantContext ctx) => ctx.Role is not (TenantRole.Readonly or null);

    public static bool CanEdit(TenantContext ctx, Guid? ownerId) => ctx.Role switch
    {
        TenantRole.Superadmin or TenantRole.Admin or TenantRole.Manager => true,
        TenantRole.Agent => ownerId == ctx.UserId,
        _ => false,
    };

    public static bool CanAssign(TenantContext ctx) => ctx.Role is TenantRole.Superadmin or TenantRole.Admin or TenantRole.Manager;

    public static bool CanDelete(TenantContext ctx) => ctx.Role is TenantRole.Superadmin or TenantRole.Admin;

    public static bool CanManagePipelines(TenantContext ctx) => ctx.Role is TenantRole.Superadmin or TenantRole.Admin;

    public static bool CanManageProducts(TenantContext ctx) => ctx.Role is TenantRole.Superadmin or TenantRole.Admin or TenantRole.Manager;
}
