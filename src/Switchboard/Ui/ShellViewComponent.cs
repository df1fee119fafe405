namespace Switchboard.Ui;

public sealed record ShellTenant(Guid Id, string Name, string Role, bool IsCurrent);

public sealed record ShellInfo(string UserName, string Email, bool IsSuperadmin, string? TenantName, IReadOnlyList<ShellTenant> Tenants);

/// <summary>The signed-in user and the tenants they can switch to, for the layout's tenant switcher and user menu.</summary>
public sealed class ShellViewComponent(SwitchboardDbContext db, TenantContext ctx) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string part)
    {
        var ct = HttpContext.RequestAborted;
        var userId = ctx.RequiredUserId;
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.FirstName, u.LastName, u.Email }).SingleAsync(ct);
        var memberships = await SignInService.MembershipsAsync(db, userId, ct);
        var tenants = memberships
            .Where(m => m.IsActive && (m.Tenant.IsActive || ctx.IsSuperadmin))
            .Select(m => new ShellTenant(m.Tenant.Id, m.Tenant.Name, Display.Label(m.Role.ToName()), m.Tenant.Id == ctx.TenantId))
            .ToList();
        var info = new ShellInfo(Display.FullName(user.FirstName, user.LastName), user.Email ?? "", ctx.IsSuperadmin, ctx.Tenant?.Name, tenants);
        return View(part == "user" ? "User" : "Tenant", info);
    }
}
