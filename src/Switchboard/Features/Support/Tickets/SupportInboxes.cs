using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Support.Tickets;

/// <summary>Administrators mark shared mailboxes as support inboxes (audited: the row is <see cref="IAudited"/>).</summary>
[Scoped]
public sealed class SupportInboxes(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    public async Task<Outcome<IReadOnlyList<SupportInboxDto>>> ListAsync(CancellationToken ct)
    {
        if (!MailboxAccess.IsAdmin(ctx)) return new Outcome<IReadOnlyList<SupportInboxDto>>.Forbidden("Only administrators manage support inboxes.");
        return await (from s in db.Set<SupportInbox>()
                      join m in db.Set<Mailbox>() on s.MailboxId equals m.Id
                      orderby m.Name
                      select new SupportInboxDto(s.MailboxId, m.Name, m.Address, s.Since, s.CreatedAt)).ToListAsync(ct);
    }

    public async Task<Outcome<SupportInboxDto>> SetAsync(Guid mailboxId, SupportInboxWrite body, CancellationToken ct)
    {
        if (!MailboxAccess.IsAdmin(ctx)) return new Outcome<SupportInboxDto>.Forbidden("Only administrators manage support inboxes.");
        if (await db.Set<Mailbox>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == mailboxId, ct) is not { } mailbox) return new Outcome<SupportInboxDto>.NotFound();
        var errors = body.BindingErrors();
        if (mailbox.Kind != MailboxKinds.Shared) errors.Add("mailboxId", "Only a shared mailbox can be a support inbox.");
        if (!errors.IsValid) return new Outcome<SupportInboxDto>.Invalid(errors.ToDictionary());
        // Whole seconds: a Date header has no fractions, so mail of the very second the inbox was made counts.
        var now = clock.GetUtcNow();
        var since = body.Since.Value ?? now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var row = await db.Set<SupportInbox>().SingleOrDefaultAsync(s => s.MailboxId == mailboxId, ct);
        if (row is null) db.Add(row = new SupportInbox { TenantId = ctx.RequiredTenantId, MailboxId = mailboxId, Since = since });
        else if (body.Since.IsSet) row.Since = since;
        await db.SaveChangesAsync(ct);
        return new SupportInboxDto(mailboxId, mailbox.Name, mailbox.Address, row.Since, row.CreatedAt);
    }

    /// <summary>Stops making tickets from the mailbox; its tickets stay.</summary>
    public async Task<Outcome<bool>> RemoveAsync(Guid mailboxId, CancellationToken ct)
    {
        if (!MailboxAccess.IsAdmin(ctx)) return new Outcome<bool>.Forbidden("Only administrators manage support inboxes.");
        if (await db.Set<SupportInbox>().SingleOrDefaultAsync(s => s.MailboxId == mailboxId, ct) is not { } row) return new Outcome<bool>.NotFound();
        db.Remove(row);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
