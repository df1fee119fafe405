using Switchboard.Platform.Tenancy;

namespace Switchboard.Features.Leads;

/// <summary>The lead rows of the role matrix, as small pure checks on the caller's role in the tenant.</summary>
public static class LeadPermissions
{
    /// <summary>Agents see only leads assigned to them; every other role sees all leads of the tenant.</summary>
    public static bool SeesOnlyOwn(TenantContext ctx) => ctx.Role == TenantRole.Agent;

    public static bool CanView(TenantContext ctx, Guid? ownerId) => !SeesOnlyOwn(ctx) || ownerId == ctx.UserId;

    public static bool CanCreate(TenantContext ctx) => ctx.Role is not (TenantRole.Readonly or null);

    public static bool CanEdit(TenantContext ctx, Guid? ownerId) => ctx.Role switch
    {
        TenantRole.Superadmin or TenantRole.Admin or TenantRole.Manager => true,
        TenantRole.Agent => ownerId == ctx.UserId,
        _ => false,
    };

    public static bool CanAssign(TenantContext ctx) => ctx.Role is TenantRole.Superadmin or TenantRole.Admin or TenantRole.Manager;

    public static bool CanDelete(TenantContext ctx) => ctx.Role is TenantRole.Superadmin or TenantRole.Admin;
}
