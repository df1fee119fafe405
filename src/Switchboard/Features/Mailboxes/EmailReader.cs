using Switchboard.Features.Activities;

namespace Switchboard.Features.Mailboxes;

/// <summary>
/// Reads stored email under each mailbox's visibility: a personal mailbox's owner, a shared inbox's members and (for a
/// shared inbox) administrators see everything; anyone else who may see a linked record sees what the mailbox's
/// visibility allows — full (subject and body), subject (no body) or metadata (who, when and which way only).
/// </summary>
[Scoped]
public sealed class EmailReader(SwitchboardDbContext db, TenantContext ctx, RelatedRecords related)
{
    public async Task<Outcome<EmailDto>> GetAsync(Guid id, CancellationToken ct) =>
        await db.Set<EmailMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct) is { } email && await CanSeeAsync(email, ct)
            ? await ToDtoAsync(email, ct)
            : new Outcome<EmailDto>.NotFound();

    public async Task<bool> CanSeeAsync(EmailMessage email, CancellationToken ct)
    {
        if (await LevelAsync(email.MailboxId, ct) == MailboxVisibility.Full && await IsInsiderAsync(email.MailboxId, ct)) return true;
        var links = await db.Set<EmailLink>().AsNoTracking().Where(l => l.EmailId == email.Id).ToListAsync(ct);
        foreach (var link in links)
            if (await related.IsVisibleAsync(link.RelatedType, link.RelatedId, ct)) return true;
        return false;
    }

    public async Task<EmailDto> ToDtoAsync(EmailMessage e, CancellationToken ct)
    {
        var level = await LevelAsync(e.MailboxId, ct);
        var links = await db.Set<EmailLink>().AsNoTracking().Where(l => l.EmailId == e.Id)
            .Select(l => new EmailLinkDto(l.RelatedType, l.RelatedId, l.ThreadId)).ToListAsync(ct);
        var full = level == MailboxVisibility.Full;
        return new EmailDto(e.Id, e.MailboxId, e.Folder, e.Direction, e.MessageId, e.InReplyTo, e.FromAddress, e.FromName, e.ToAddresses, e.CcAddresses,
            level == MailboxVisibility.Metadata ? null : e.Subject, full ? e.TextBody : null, full ? e.HtmlBody : null, e.SentAt,
            e.ServerState, e.ServerFolder, links, level);
    }

    /// <summary>The timeline entries of a record's email, newest first, each as much as the caller may see.</summary>
    public async Task<IEnumerable<TimelineItem>> TimelineAsync(string type, Guid id, int limit, CancellationToken ct)
    {
        var rows = await (from l in db.Set<EmailLink>().AsNoTracking()
                          join m in db.Set<EmailMessage>().AsNoTracking() on l.EmailId equals m.Id
                          where l.RelatedType == type && l.RelatedId == id
                          orderby m.SentAt descending
                          select new { m, l.ThreadId }).Take(limit).ToListAsync(ct);
        var levels = new Dictionary<Guid, string>();
        var items = new List<TimelineItem>();
        foreach (var row in rows)
        {
            var e = row.m;
            if (!levels.TryGetValue(e.MailboxId, out var level)) levels[e.MailboxId] = level = await LevelAsync(e.MailboxId, ct);
            var who = e.Direction == "inbound" ? $"Email from {e.FromAddress}" : $"Email to {string.Join(", ", e.ToAddresses)}";
            var title = level == MailboxVisibility.Metadata ? who : $"{who}: {e.Subject}";
            var detail = level == MailboxVisibility.Full ? e.TextBody : null;
            var status = e.ServerState == ServerStates.Present ? e.Direction : $"{e.Direction}; {e.ServerState}{(e.ServerFolder is null ? "" : " to " + e.ServerFolder)} on the server";
            items.Add(new TimelineItem("email", e.Id, e.SentAt, title, detail, null, e.SentBy, null, status, null));
        }
        return items;
    }

    /// <summary>What the caller sees of a mailbox's messages.</summary>
    public async Task<string> LevelAsync(Guid mailboxId, CancellationToken ct)
    {
        var mailbox = await db.Set<Mailbox>().AsNoTracking().Where(m => m.Id == mailboxId).Select(m => new { m.Visibility, m.OwnerId, m.Kind }).SingleOrDefaultAsync(ct);
        if (mailbox is null) return MailboxVisibility.Metadata;
        return await IsInsiderAsync(mailboxId, ct) ? MailboxVisibility.Full : mailbox.Visibility;
    }

    private async Task<bool> IsInsiderAsync(Guid mailboxId, CancellationToken ct)
    {
        var mailbox = await db.Set<Mailbox>().AsNoTracking().Where(m => m.Id == mailboxId).Select(m => new { m.OwnerId, m.Kind }).SingleOrDefaultAsync(ct);
        if (mailbox is null) return false;
        if (mailbox.OwnerId is { } owner) return owner == ctx.UserId;
        return MailboxAccess.IsAdmin(ctx) || await db.Set<MailboxMember>().AnyAsync(x => x.MailboxId == mailboxId && x.UserId == ctx.UserId, ct);
    }
}
