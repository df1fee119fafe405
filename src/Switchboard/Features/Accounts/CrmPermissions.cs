using Switchboard.Features.Leads;
using Switchboard.Platform.Tenancy;

namespace Switchboard.Features.Accounts;

/// <summary>
/// The account and contact rows of the role matrix. They are the lead rows by decision (agents see and edit
/// what they own, managers and admins everything, readonly views, admins delete), so they delegate to
/// <see cref="LeadPermissions"/> rather than restate it and drift.
/// </summary>
public static class CrmPermissions
{
    public static bool SeesOnlyOwn(TenantContext ctx) => LeadPermissions.SeesOnlyOwn(ctx);
    public static bool CanView(TenantContext ctx, Guid? ownerId) => LeadPermissions.CanView(ctx, ownerId);
    public static bool CanCreate(TenantContext ctx) => LeadPermissions.CanCreate(ctx);
    public static bool CanEdit(TenantContext ctx, Guid? ownerId) => LeadPermissions.CanEdit(ctx, ownerId);
    public static bool CanAssign(TenantContext ctx) => LeadPermissions.CanAssign(ctx);
    public static bool CanDelete(TenantContext ctx) => LeadPermissions.CanDelete(ctx);
}
