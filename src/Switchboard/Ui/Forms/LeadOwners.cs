namespace Switchboard.Ui.Forms;

public sealed record OwnerOption(Guid Id, string Name, bool IsActive);

/// <summary>
/// The tenant's members as lead owners (names only), for every role: agents need the names of the owners
/// they see, which <c>UserService.ListAsync</c> (admins and managers) does not give them.
/// </summary>
public static class LeadOwners
{
    public static async Task<IReadOnlyList<OwnerOption>> ListAsync(SwitchboardDbContext db, CancellationToken ct)
    {
        var rows = await (from m in db.Memberships.AsNoTracking()
                          join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                          orderby u.FirstName, u.LastName
                          select new { u.Id, u.FirstName, u.LastName, u.Email, Active = m.IsActive && u.IsActive })
            .ToListAsync(ct);
        return rows.Select(r => new OwnerOption(r.Id, Name(r.FirstName, r.LastName, r.Email), r.Active)).ToList();
    }

    public static string NameOf(IReadOnlyList<OwnerOption> owners, Guid? id) =>
        id is null ? "Unassigned" : owners.FirstOrDefault(o => o.Id == id)?.Name ?? "Former member";

    private static string Name(string first, string last, string? email)
    {
        var name = $"{first} {last}".Trim();
        return name.Length > 0 ? name : email ?? "Unknown";
    }
}
