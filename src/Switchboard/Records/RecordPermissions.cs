namespace Switchboard.Records;

/// <summary>
/// The owned-record rows of the role matrix (leads, accounts, contacts, opportunities), as small pure checks on the
/// caller's role in the tenant: agents see and edit what they own, managers and admins everything, readonly views,
/// admins delete. Which rows a query returns follows from <see cref="SeesOnlyOwn"/> through <see cref="RecordVisibility"/>.
/// </summary>
public static class RecordPermissions
{
    /// <summary>Agents see only records assigned to them; every other role sees all of the tenant's.</summary>
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
