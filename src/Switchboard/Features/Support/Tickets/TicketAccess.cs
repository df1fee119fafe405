using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Support.Tickets;

/// <summary>
/// Who sees tickets: administrators all of them; other users those of the support inboxes they are members of. A user
/// who is a member of none may not list tickets (403) and finds no ticket (404).
/// </summary>
[Scoped]
public sealed class TicketAccess(SwitchboardDbContext db, TenantContext ctx)
{
    public bool IsAdmin => MailboxAccess.IsAdmin(ctx);

    /// <summary>Members of a support inbox may change tickets and reply, unless their role is read-only.</summary>
    public bool CanWrite => ctx.Role is TenantRole.Agent or TenantRole.Manager or TenantRole.Admin or TenantRole.Superadmin;

    /// <summary>The support inboxes the caller works in.</summary>
    public IQueryable<Guid> InboxIds()
    {
        var inboxes = db.Set<SupportInbox>().Select(s => s.MailboxId);
        if (IsAdmin) return inboxes;
        var user = ctx.UserId;
        return inboxes.Where(id => db.Set<MailboxMember>().Any(m => m.MailboxId == id && m.UserId == user));
    }

    public async Task<bool> MaySeeTicketsAsync(CancellationToken ct) => ctx.TenantId is not null && (IsAdmin || await InboxIds().AnyAsync(ct));

    public IQueryable<Ticket> Tickets()
    {
        if (IsAdmin) return db.Set<Ticket>();
        var inboxes = InboxIds();
        return db.Set<Ticket>().Where(t => inboxes.Contains(t.MailboxId));
    }

    /// <summary>Users who may be assigned a ticket of the inbox: its members and the tenant's administrators.</summary>
    public async Task<bool> MayBeAssignedAsync(Guid userId, Guid mailboxId, CancellationToken ct) =>
        await db.Set<MailboxMember>().AnyAsync(m => m.MailboxId == mailboxId && m.UserId == userId, ct)
        || await db.Memberships.AnyAsync(m => m.UserId == userId && m.IsActive && m.Role == "admin", ct);

    /// <summary>The tenant's active members by id, with their names (for assignee columns and pickers).</summary>
    public async Task<IReadOnlyList<TicketPerson>> PeopleAsync(CancellationToken ct) =>
        await (from m in db.Memberships
               join u in db.Users on m.UserId equals u.Id
               where m.IsActive
               orderby u.FirstName, u.LastName
               select new TicketPerson(u.Id, (u.FirstName + " " + u.LastName).Trim(), m.Role)).ToListAsync(ct);

    /// <summary>Who may be assigned a ticket of the inbox: its members and the administrators.</summary>
    public async Task<IReadOnlyList<TicketPerson>> AssigneesAsync(Guid mailboxId, CancellationToken ct)
    {
        var members = await db.Set<MailboxMember>().Where(m => m.MailboxId == mailboxId).Select(m => m.UserId).ToListAsync(ct);
        return (await PeopleAsync(ct)).Where(p => p.Role == "admin" || members.Contains(p.Id)).ToList();
    }
}

public sealed record TicketPerson(Guid Id, string Name, string Role);
