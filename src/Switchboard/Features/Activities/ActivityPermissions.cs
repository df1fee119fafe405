namespace Switchboard.Features.Activities;

/// <summary>
/// The activity and note rows of the role matrix. Which rows an agent sees is a query (assigned to them, created by
/// them, or about a record they own: see ActivityService.Visible); these checks apply to a row already visible.
/// </summary>
public static class ActivityPermissions
{
    public static bool CanWrite(TenantContext ctx) => ctx.Role is TenantRole.Agent or TenantRole.Manager or TenantRole.Admin or TenantRole.Superadmin;

    /// <summary>Agents may edit any activity they can see; readonly nobody.</summary>
    public static bool CanEdit(TenantContext ctx) => CanWrite(ctx);

    /// <summary>Agents assign activities only to themselves; managers and admins to any member.</summary>
    public static bool CanAssignOthers(TenantContext ctx) => ctx.Role is TenantRole.Manager or TenantRole.Admin or TenantRole.Superadmin;

    /// <summary>
    /// Admins delete any activity. The creator may delete their own while it is still pending (undoing a mistake);
    /// once completed or canceled it is history and stays.
    /// </summary>
    public static bool CanDelete(TenantContext ctx, Activity activity) =>
        IsAdmin(ctx) || (CanWrite(ctx) && activity.CreatedBy == ctx.UserId && activity.Status == ActivityStatuses.Pending);

    /// <summary>Notes: the author edits and deletes their own; admins any note.</summary>
    public static bool CanChangeNote(TenantContext ctx, Note note) => IsAdmin(ctx) || (CanWrite(ctx) && note.AuthorId == ctx.UserId);

    private static bool IsAdmin(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;
}
