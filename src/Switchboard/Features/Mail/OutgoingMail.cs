using Switchboard.Platform.Email;

namespace Switchboard.Features.Mail;

public sealed record OutgoingMailRow(Guid Id, string? TenantName, string Template, string ToAddress, string? ToName, string Subject,
    string Status, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>The platform's outgoing mail, for superadmins: every message with its delivery status, across tenants.</summary>
[Scoped]
public sealed class OutgoingMail(SwitchboardDbContext db, TenantContext ctx)
{
    public const int PageSize = 50;
    public static readonly string[] Statuses = [EmailStatus.Queued, EmailStatus.Sent, EmailStatus.Failed, EmailStatus.Kept];

    public async Task<PagedList<OutgoingMailRow>> ListAsync(string? status, int page, CancellationToken ct)
    {
        await ctx.EnterPlatformAsync();
        var messages = db.OutboundEmails.AsNoTracking().Where(e => status == null || e.Status == status);
        var total = await messages.CountAsync(ct);
        var items = await Rows(messages.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Skip((page - 1) * PageSize).Take(PageSize))
            .ToListAsync(ct);
        return new PagedList<OutgoingMailRow>(items, total, page, PageSize);
    }

    /// <summary>One message with its bodies (while it still has them).</summary>
    public async Task<(OutgoingMailRow Row, string? Text, string? Html)?> FindAsync(Guid id, CancellationToken ct)
    {
        await ctx.EnterPlatformAsync();
        var row = await Rows(db.OutboundEmails.AsNoTracking().Where(e => e.Id == id)).SingleOrDefaultAsync(ct);
        if (row is null) return null;
        var bodies = await db.OutboundEmails.AsNoTracking().Where(e => e.Id == id).Select(e => new { e.TextBody, e.HtmlBody }).SingleAsync(ct);
        return (row, bodies.TextBody, bodies.HtmlBody);
    }

    private IQueryable<OutgoingMailRow> Rows(IQueryable<OutboundEmail> messages) =>
        from e in messages
        select new OutgoingMailRow(e.Id, db.Tenants.Where(t => t.Id == e.TenantId).Select(t => t.Name).FirstOrDefault(), e.Template, e.ToAddress, e.ToName, e.Subject, e.Status, e.Attempts,
            e.LastError, e.CreatedAt, e.SentAt);
}
