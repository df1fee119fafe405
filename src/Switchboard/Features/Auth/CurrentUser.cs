namespace Switchboard.Features.Auth;

/// <summary>
/// What <c>GET /api/v1/auth/me</c> answers: the user and the tenants they may switch to (active memberships, by tenant
/// name). One statement, compiled once: the endpoint is called on every client start and poll, and building,
/// funcletizing and looking up two LINQ queries cost more CPU than running them (PERFORMANCE.md, "Authenticated API").
/// </summary>
public sealed record CurrentUser(Guid Id, string? Email, string FirstName, string LastName, bool IsSuperadmin, List<CurrentUser.Membership> Tenants)
{
    public sealed record Membership(Guid Id, string Name, string Slug, string Role);

    // The user's own memberships across tenants: RLS allows them through app.user_id, so no tenant query filter applies.
    private static readonly Func<SwitchboardDbContext, Guid, CancellationToken, Task<CurrentUser>> Query = EF.CompileAsyncQuery(
        (SwitchboardDbContext db, Guid userId, CancellationToken ct) => db.Users.IgnoreQueryFilters().AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new CurrentUser(u.Id, u.Email, u.FirstName, u.LastName, u.IsSuperadmin,
                (from m in db.Memberships
                 join t in db.Tenants on m.TenantId equals t.Id
                 where m.UserId == u.Id && m.IsActive
                 orderby t.Name
                 select new Membership(t.Id, t.Name, t.Slug, m.Role)).ToList()))
            .Single());

    public static Task<CurrentUser> ReadAsync(SwitchboardDbContext db, Guid userId, CancellationToken ct) => Query(db, userId, ct);

    /// <summary>The membership's role as the API names it (an unknown stored role reads as readonly, as at sign-in).</summary>
    public static string RoleName(string stored) =>
        TenantRoles.MembershipRoleOrReadonly(stored).ToName();
}
