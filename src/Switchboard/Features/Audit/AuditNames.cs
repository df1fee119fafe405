using Switchboard.Features.Accounts;
using Switchboard.Features.Contacts;
using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Audit;

/// <summary>The names shown for ids in audit changes: members, then the accounts, contacts and opportunities they mention.</summary>
public static class AuditNames
{
    /// <summary>
    /// Members' names plus the records among <paramref name="ids"/>, read in one query (a UNION ALL) for the whole page.
    /// Row-level security keeps it to the tenant.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> ForAsync(
        SwitchboardDbContext db, IEnumerable<OwnerOption> members, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var names = members.ToDictionary(m => m.Id, m => m.Name);
        var wanted = ids.Where(id => !names.ContainsKey(id)).Distinct().ToArray();
        if (wanted.Length == 0) return names;
        var rows = await db.Set<Account>().AsNoTracking().Where(a => wanted.Contains(a.Id)).Select(a => new { a.Id, Name = a.Name })
            .Concat(db.Set<Contact>().AsNoTracking().Where(c => wanted.Contains(c.Id)).Select(c => new { c.Id, Name = c.FirstName + " " + c.LastName }))
            .Concat(db.Set<Opportunity>().AsNoTracking().Where(o => wanted.Contains(o.Id)).Select(o => new { o.Id, Name = o.Name }))
            .ToListAsync(ct);
        foreach (var row in rows) names[row.Id] = row.Name.Trim();
        return names;
    }
}
