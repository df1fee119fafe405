using MailKit;
using MimeKit;
using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Outreach;

/// <summary>What a delivery status notification says of one original message.</summary>
public sealed record DeliveryReport(string OriginalMessageId, bool Hard, string Status, string? Recipient);

/// <summary>
/// Reads inbound mail of mailboxes that send outreach (ADR 0059): a delivery status notification (multipart/report;
/// report-type=delivery-status) naming the Message-ID of one of its outbound emails records a bounce — hard (status
/// 5.x.x or Action: failed) sets BouncedAt, suppresses the address (reason bounced), tells the observers and may
/// auto-pause the mailbox; soft (4.x.x, delayed) is recorded only. A message whose subject is "unsubscribe" (the
/// List-Unsubscribe mailto:) from an address the mailbox sent outreach to suppresses that address. Idempotent.
/// </summary>
[Scoped]
public sealed class OutreachBounces(
    SwitchboardDbContext db, MailServers servers, SuppressionWriter suppressions, IEnumerable<IOutboundEmailOutcomeObserver> observers,
    OutreachPause pause, ILogger<OutreachBounces> logger) : IInboundEmailObserver
{
    public async Task OnInboundAsync(InboundEmail inbound, CancellationToken ct)
    {
        var sentFrom = db.Set<OutboundEmail>().Where(o => o.MailboxId == inbound.MailboxId && o.Status == OutboundEmailStatus.Sent);
        if (!await sentFrom.AnyAsync(ct)) return;
        if (inbound.Subject.Trim().Equals("unsubscribe", StringComparison.OrdinalIgnoreCase))
        {
            await MailtoUnsubscribeAsync(inbound, ct);
            return;
        }
        var stored = await db.Set<EmailMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == inbound.EmailId, ct);
        if (stored is null) return;
        var message = await FetchAsync(stored, ct);
        if (message is null) return;
        foreach (var report in Read(message)) await RecordAsync(inbound.MailboxId, report, ct);
    }

    private async Task MailtoUnsubscribeAsync(InboundEmail inbound, CancellationToken ct)
    {
        var from = inbound.FromAddress.Trim().ToLowerInvariant();
        await using var work = await db.BeginUnitOfWorkAsync(ct);
        var email = await db.Set<OutboundEmail>().Where(o => o.MailboxId == inbound.MailboxId && o.ToAddress == from && o.Status == OutboundEmailStatus.Sent)
            .OrderByDescending(o => o.SentAt).FirstOrDefaultAsync(ct);
        if (email is null) return;
        if (await suppressions.AddAsync(from, SuppressionReasons.Unsubscribed, email.Id, "Unsubscribed by email", ct))
            foreach (var observer in observers) await observer.OnOutcomeAsync(email, ct);
        await db.SaveChangesAsync(ct);
        await work.CommitAsync(ct);
    }

    /// <summary>The bounces a message reports: none unless it is a delivery-status report naming an original Message-ID.</summary>
    public static IReadOnlyList<DeliveryReport> Read(MimeMessage message)
    {
        if (message.Body is not MultipartReport { ReportType: var type } report || !"delivery-status".Equals(type, StringComparison.OrdinalIgnoreCase)) return [];
        var status = report.OfType<MessageDeliveryStatus>().FirstOrDefault();
        if (status is null) return [];
        var original = OriginalMessageId(report) ?? MailboxSync.Bracket(message.InReplyTo);
        if (original is null) return [];
        var found = new List<DeliveryReport>();
        foreach (var group in status.StatusGroups.Skip(1))
        {
            var code = group["Status"]?.Trim() ?? "";
            var action = group["Action"]?.Trim().ToLowerInvariant() ?? "";
            if (action is "delivered" or "relayed" or "expanded") continue;
            var hard = code.StartsWith('5') || (action == "failed" && !code.StartsWith('4'));
            var recipient = group["Final-Recipient"] ?? group["Original-Recipient"];
            recipient = recipient?.Split(';', 2) is [_, var address] ? address.Trim() : recipient?.Trim();
            found.Add(new DeliveryReport(original, hard, code.Length > 0 ? code : action, recipient));
        }
        return found;
    }

    private static string? OriginalMessageId(MultipartReport report)
    {
        foreach (var part in report.Skip(1))
        {
            var headers = part switch
            {
                MessagePart { Message: { } m } => m.Headers,
                MimePart p when p.ContentType.IsMimeType("text", "rfc822-headers") => ParseHeaders(p),
                _ => null,
            };
            if (headers?["Message-ID"] is { Length: > 0 } id) return MailboxSync.Bracket(id.Trim());
        }
        return null;
    }

    private static HeaderList? ParseHeaders(MimePart part)
    {
        using var stream = new MemoryStream();
        if (part.Content is null) return null;
        part.Content.DecodeTo(stream);
        stream.Position = 0;
        return HeaderList.Load(stream);
    }

    private async Task RecordAsync(Guid mailboxId, DeliveryReport report, CancellationToken ct)
    {
        var bare = report.OriginalMessageId.Trim('<', '>');
        await using var work = await db.BeginUnitOfWorkAsync(ct);
        var email = await db.Set<OutboundEmail>().FirstOrDefaultAsync(o => o.MailboxId == mailboxId && (o.MessageId == bare || o.MessageId == report.OriginalMessageId), ct);
        if (email is null) return;
        if (report.Recipient is { } recipient && !recipient.Equals(email.ToAddress, StringComparison.OrdinalIgnoreCase)) return;
        if (email.BouncedAt is not null) return;
        email.BounceStatus = report.Status.Length > 100 ? report.Status[..100] : report.Status;
        if (!report.Hard)
        {
            email.BounceKind = "soft";
            await db.SaveChangesAsync(ct);
            await work.CommitAsync(ct);
            return;
        }
        email.BounceKind = "hard";
        email.BouncedAt = pause.Now;
        await suppressions.AddAsync(email.ToAddress, SuppressionReasons.Bounced, email.Id, $"Hard bounce {report.Status}", ct);
        foreach (var observer in observers) await observer.OnOutcomeAsync(email, ct);
        await db.SaveChangesAsync(ct);
        await pause.CheckAsync(mailboxId, ct);
        await db.SaveChangesAsync(ct);
        await work.CommitAsync(ct);
        logger.LogInformation("Outbound email {EmailId} hard-bounced ({Status})", email.Id, report.Status);
    }

    private async Task<MimeMessage?> FetchAsync(EmailMessage stored, CancellationToken ct)
    {
        if (stored.Uid is not { } uid || stored.UidValidity is not { } validity) return null;
        var mailbox = await db.Set<Mailbox>().AsNoTracking().SingleAsync(m => m.Id == stored.MailboxId, ct);
        var folderName = await db.Set<MailboxFolder>().AsNoTracking().Where(f => f.MailboxId == mailbox.Id && f.Role == stored.Folder)
            .Select(f => f.Name).SingleOrDefaultAsync(ct);
        if (folderName is null) return null;
        using var imap = await servers.OpenImapAsync(mailbox, ct);
        var folder = await imap.GetFolderAsync(folderName, ct);
        await folder.OpenAsync(FolderAccess.ReadOnly, ct);
        if (folder.UidValidity != validity) return null;
        try
        {
            var message = await folder.GetMessageAsync(new UniqueId((uint)validity, (uint)uid), ct);
            await imap.DisconnectAsync(true, ct);
            return message;
        }
        catch (MessageNotFoundException)
        {
            return null;
        }
    }
}

/// <summary>
/// The hard-bounce auto-pause: when at least Outreach:AutoPauseWindow (200) emails were sent from a mailbox and more
/// than Outreach:AutoPauseRate (5 %) of its last that many hard-bounced, its outreach sending pauses (queued email
/// waits) and the tenant's administrators are emailed, until an administrator resumes it.
/// </summary>
[Scoped]
public sealed class OutreachPause(
    SwitchboardDbContext db, TenantContext ctx, Switchboard.Platform.Email.EmailOutbox outbox, AppLinks links, IOptions<OutreachOptions> options, TimeProvider clock)
{
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Pauses the mailbox if its bounce rate passed the threshold; in the caller's unit of work (not saved).</summary>
    public async Task<bool> CheckAsync(Guid mailboxId, CancellationToken ct)
    {
        var window = options.Value.AutoPauseWindow;
        var last = db.Set<OutboundEmail>().Where(o => o.MailboxId == mailboxId && o.Status == OutboundEmailStatus.Sent)
            .OrderByDescending(o => o.SentAt).Take(window);
        var sent = await last.CountAsync(ct);
        if (sent < window) return false;
        var bounced = await last.CountAsync(o => o.BouncedAt != null, ct);
        if (bounced <= options.Value.AutoPauseRate * sent) return false;

        var settings = await db.Set<OutreachMailboxSettings>().SingleOrDefaultAsync(s => s.MailboxId == mailboxId, ct);
        if (settings?.PausedAt is not null) return false;
        if (settings is null)
        {
            settings = new OutreachMailboxSettings { TenantId = ctx.RequiredTenantId, MailboxId = mailboxId, UpdatedAt = Now };
            db.Add(settings);
        }
        var reason = $"{bounced} of the last {sent} emails hard-bounced (more than {options.Value.AutoPauseRate:P0}).";
        settings.PausedAt = Now;
        settings.PausedReason = reason;
        settings.UpdatedAt = Now;
        var address = await db.Set<Mailbox>().Where(m => m.Id == mailboxId).Select(m => m.Address).SingleAsync(ct);
        var admins = await db.Memberships.AsNoTracking().Where(m => m.Role == "admin" && m.IsActive)
            .Select(m => new { m.User!.Email, Name = m.User.FirstName + " " + m.User.LastName }).ToListAsync(ct);
        var notice = new OutreachPausedEmail(address, reason, Now.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), links.To("/settings/outreach"));
        foreach (var admin in admins.Where(a => a.Email is not null))
            await outbox.QueueAsync(notice, new Switchboard.Platform.Email.EmailRecipient(admin.Email!, admin.Name.Trim()), ctx.RequiredTenantId, ct);
        return true;
    }
}
