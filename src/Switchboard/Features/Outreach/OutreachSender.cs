using MailKit;
using MailKit.Net.Smtp;
using MailKit.Search;
using MimeKit;
using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Outreach;

/// <summary>What one call of <see cref="OutreachSender.SendNextAsync"/> did.</summary>
public enum SendStep
{
    Idle,
    Sent,
    Deferred,
    Suppressed,
    Failed,
    Retrying,
    ResolvedInDoubt,
    Lost,
}

/// <summary>
/// Sends one due outbound email of the current tenant (ADR 0059). Exactly once as far as the mail protocols allow:
/// the row is claimed with FOR UPDATE SKIP LOCKED and committed 'sending' (attempts + 1, a lease) before SMTP; SMTP
/// carries the row's fixed Message-ID; the message is appended to the mailbox's Sent folder; then 'sent', the stored
/// EmailMessage and the observers commit in one transaction. A row found 'sending' after its lease is in doubt: it is
/// marked sent when its Message-ID is already stored or in the Sent folder, else sent again with the same Message-ID.
/// Caps are decided under a per-mailbox advisory lock, counting sent (and in-flight) rows in the window.
/// </summary>
// Wide on purpose: database, options, clock and logger are ambient; sending one email exactly once needs the servers,
// the composer, the unsubscribe link and the outcome observers.
[Scoped]
public sealed class OutreachSender(
    SwitchboardDbContext db, MailServers servers, EmailComposer composer, UnsubscribeLinks unsubscribe,
    IEnumerable<IOutboundEmailOutcomeObserver> observers, IOptions<OutreachOptions> options, TimeProvider clock, ILogger<OutreachSender> logger)
{
    /// <summary>Who holds a row while it is sent; set by the worker (one id per process), a new one per scope by default.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public async Task<SendStep> SendNextAsync(CancellationToken ct)
    {
        var claim = await ClaimAsync(ct);
        if (claim.Step != SendStep.Sent) return claim.Step;
        var email = claim.Email!;
        var mailbox = claim.Mailbox!;
        if (claim.InDoubt && await FindSentAsync(email, mailbox, ct) is { } found)
        {
            await FinishSentAsync(email.Id, mailbox, found.Stored, found.Message, ct);
            return SendStep.ResolvedInDoubt;
        }

        var errors = new ValidationErrors();
        var message = await ComposeAsync(email, mailbox, errors, ct);
        if (message is null) return await FinishFailedAsync(email.Id, $"The email could not be composed: {string.Join(" ", errors.ToDictionary().Values.SelectMany(v => v))}", permanent: true, ct);
        if (claim.InDoubt && email.SmtpAcceptedAt is not null)
        {
            // Accepted by SMTP before its worker died, but not in Sent: save the copy, do not send again.
            var (copyValidity, copyUid) = await composer.AppendToSentAsync(mailbox, message, ct);
            await FinishSentAsync(email.Id, mailbox, null, (message, copyValidity, copyUid), ct);
            return SendStep.ResolvedInDoubt;
        }
        try
        {
            using var smtp = await servers.OpenSmtpAsync(mailbox, ct);
            await smtp.SendAsync(message, ct);
            await smtp.DisconnectAsync(true, ct);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500 && e.ErrorCode is not SmtpErrorCode.UnexpectedStatusCode)
        {
            return await FinishFailedAsync(email.Id, $"The SMTP server answered {(int)e.StatusCode}: {e.Message}", permanent: true, ct);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException
                                      or MailKit.Security.AuthenticationException or ServiceNotConnectedException)
        {
            return await FinishFailedAsync(email.Id, $"The SMTP server could not take the message: {e.Message}", permanent: false, ct);
        }
        // At once, before anything slower: a row in doubt with this mark went out (ADR 0059, the remaining window).
        await db.Set<OutboundEmail>().Where(o => o.Id == email.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.SmtpAcceptedAt, clock.GetUtcNow()), CancellationToken.None);
        var (validity, uid) = await composer.AppendToSentAsync(mailbox, message, ct);
        await FinishSentAsync(email.Id, mailbox, null, (message, validity, uid), ct);
        return SendStep.Sent;
    }

    private sealed record Claim(SendStep Step, OutboundEmail? Email = null, Mailbox? Mailbox = null, bool InDoubt = false);

    /// <summary>Claims the next due row: suppressed, over a cap (pushed), or committed 'sending' for this worker.</summary>
    private async Task<Claim> ClaimAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var work = await db.BeginUnitOfWorkAsync(ct);
        var id = await db.Database.SqlQuery<Guid>($"""
            select o.id as "Value" from outreach_emails o
            where ((o.status = 'queued' and o.not_before <= {now}) or (o.status = 'sending' and o.locked_until < {now}))
              and not exists (select from outreach_mailbox_settings s where s.mailbox_id = o.mailbox_id and s.paused_at is not null)
            order by o.not_before, o.id
            limit 1
            for update of o skip locked
            """).ToListAsync(ct);
        var email = id.Count == 0 ? null : await db.Set<OutboundEmail>().AsTracking().SingleAsync(o => o.Id == id[0], ct);
        if (email is null) return new Claim(SendStep.Idle);
        var inDoubt = email.Status == OutboundEmailStatus.Sending;

        var mailbox = await db.Set<Mailbox>().AsNoTracking().SingleAsync(m => m.Id == email.MailboxId, ct);
        if (!inDoubt && await db.Set<Suppression>().AnyAsync(s => s.Address == email.ToAddress, ct))
        {
            Finish(email, OutboundEmailStatus.Suppressed, "The address is on the suppression list.");
            await TellAsync(email, ct);
            await db.SaveChangesAsync(ct);
            await work.CommitAsync(ct);
            return new Claim(SendStep.Suppressed);
        }
        if (!inDoubt && !mailbox.IsActive)
        {
            Finish(email, OutboundEmailStatus.Failed, "The mailbox is switched off.");
            await TellAsync(email, ct);
            await db.SaveChangesAsync(ct);
            await work.CommitAsync(ct);
            return new Claim(SendStep.Failed);
        }
        if (!inDoubt && await CapReachedUntilAsync(email, now, ct) is { } until)
        {
            email.NotBefore = until;
            await db.SaveChangesAsync(ct);
            await work.CommitAsync(ct);
            return new Claim(SendStep.Deferred);
        }
        email.Status = OutboundEmailStatus.Sending;
        email.Attempts += 1;
        email.LockedBy = WorkerId;
        email.LockedUntil = now + TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        await db.SaveChangesAsync(ct);
        await work.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new Claim(SendStep.Sent, email, mailbox, inDoubt);
    }

    /// <summary>
    /// When the mailbox may send again if a cap is reached now, else null. Holds the mailbox's advisory lock until the
    /// claim commits, so two workers deciding for one mailbox count each other's claims. Rows in flight ('sending') count.
    /// </summary>
    private async Task<DateTimeOffset?> CapReachedUntilAsync(OutboundEmail email, DateTimeOffset now, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock(hashtextextended({"outreach-mailbox:" + email.MailboxId}, 0))", ct);
        var settings = await db.Set<OutreachMailboxSettings>().AsNoTracking().SingleOrDefaultAsync(s => s.MailboxId == email.MailboxId, ct);
        var perMinute = settings?.PerMinute ?? OutreachMailboxSettings.DefaultPerMinute;
        var perDay = settings?.PerDay ?? OutreachMailboxSettings.DefaultPerDay;
        var inFlight = await db.Set<OutboundEmail>().CountAsync(o => o.MailboxId == email.MailboxId && o.Status == OutboundEmailStatus.Sending && o.Id != email.Id, ct);
        foreach (var (window, cap) in new[] { (TimeSpan.FromMinutes(1), perMinute), (TimeSpan.FromDays(1), perDay) })
        {
            var since = now - window;
            var sent = db.Set<OutboundEmail>().Where(o => o.MailboxId == email.MailboxId && o.Status == OutboundEmailStatus.Sent && o.SentAt > since);
            var count = await sent.CountAsync(ct) + inFlight;
            if (count < cap) continue;
            // The window frees a place when its oldest send leaves it; with only sends in flight, look again shortly.
            var oldest = await sent.OrderBy(o => o.SentAt).Select(o => o.SentAt).FirstOrDefaultAsync(ct);
            var until = oldest is { } o ? o + window : now + TimeSpan.FromSeconds(5);
            return until > now ? until : now + TimeSpan.FromSeconds(1);
        }
        return null;
    }

    /// <summary>The message as it goes out: the row's body or its template rendered, the footer, the unsubscribe headers.</summary>
    private async Task<MimeMessage?> ComposeAsync(OutboundEmail email, Mailbox mailbox, ValidationErrors errors, CancellationToken ct)
    {
        var subject = email.Subject;
        var text = email.TextBody;
        var html = email.HtmlBody;
        if (email.TemplateId is { } templateId)
        {
            if (await db.Set<MailTemplate>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId, ct) is not { } template)
            {
                errors.Add("templateId", "The template no longer exists.");
                return null;
            }
            var rendered = await composer.RenderTemplateAsync(template, email.RelatedType, email.RelatedId, mailbox, errors, ct);
            subject ??= rendered.Subject;
            text ??= rendered.Text;
            html ??= rendered.Html;
        }
        else
        {
            // A step's or campaign's own subject and body carry merge fields too ("Hello {{ recipient.first_name }}").
            (subject, text, html) = await composer.RenderPartsAsync(subject, text, html, email.RelatedType, email.RelatedId, mailbox, "subject", errors, ct);
        }
        if (!errors.IsValid) return null;
        if (string.IsNullOrWhiteSpace(subject)) errors.Add("subject", "The email has no subject.");
        if (string.IsNullOrWhiteSpace(text) && string.IsNullOrWhiteSpace(html)) errors.Add("text", "The email has no body.");
        if (!errors.IsValid) return null;

        var link = unsubscribe.Url(email);
        text = string.IsNullOrWhiteSpace(text) ? null : $"{text.TrimEnd()}\n\n--\nTo stop receiving these emails, unsubscribe: {link}\n";
        if (!string.IsNullOrWhiteSpace(html))
            html = $"{html}\n<p style=\"font-size:12px;color:#6b7280;\">To stop receiving these emails, <a href=\"{System.Net.WebUtility.HtmlEncode(link)}\">unsubscribe</a>.</p>";
        var message = composer.Build(mailbox, [email.ToAddress], [], subject!.Trim(), text, html, null, email.MessageId, email.ToName);
        message.Headers.Add("List-Unsubscribe", $"<{link}>, <mailto:{mailbox.Address}?subject=unsubscribe>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return message;
    }

    /// <summary>An in-doubt row's message, if it went out: already stored (its Message-ID), or in the mailbox's Sent folder.</summary>
    private async Task<(EmailMessage? Stored, (MimeMessage Message, long? Validity, long? Uid)? Message)?> FindSentAsync(OutboundEmail email, Mailbox mailbox, CancellationToken ct)
    {
        var messageId = MailboxSync.Bracket(email.MessageId)!;
        if (await db.Set<EmailMessage>().AsNoTracking().FirstOrDefaultAsync(m => m.MailboxId == mailbox.Id && m.MessageId == messageId, ct) is { } stored)
            return (stored, null);
        try
        {
            using var imap = await servers.OpenImapAsync(mailbox, ct);
            if (await MailServers.SentFolderAsync(imap, ct) is not { } sent) return null;
            await sent.OpenAsync(FolderAccess.ReadOnly, ct);
            var uids = await sent.SearchAsync(SearchQuery.HeaderContains("Message-ID", email.MessageId.Trim('<', '>')), ct);
            if (uids.Count == 0) return null;
            var message = await sent.GetMessageAsync(uids[0], ct);
            await imap.DisconnectAsync(true, ct);
            return (null, (message, (long)sent.UidValidity, (long)uids[0].Id));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Cannot look: sending again risks a duplicate, not looking forever loses the email. Wait for the next lease.
            logger.LogWarning(e, "Outbound email {EmailId} is in doubt and the Sent folder of mailbox {MailboxId} could not be searched", email.Id, mailbox.Id);
            throw;
        }
    }

    private async Task FinishSentAsync(Guid emailId, Mailbox mailbox, EmailMessage? stored, (MimeMessage Message, long? Validity, long? Uid)? sent, CancellationToken ct)
    {
        await using var work = await db.BeginUnitOfWorkAsync(ct);
        var email = await LockAsync(emailId, ct);
        if (email.Status != OutboundEmailStatus.Sending || email.LockedBy != WorkerId)
            logger.LogWarning("Outbound email {EmailId} was taken over by {Worker} while this worker sent it", emailId, email.LockedBy);
        stored ??= await composer.StoreAsync(mailbox, sent!.Value.Message, sent.Value.Validity, sent.Value.Uid, ct);
        Finish(email, OutboundEmailStatus.Sent, null);
        email.SentAt = clock.GetUtcNow();
        email.EmailId = stored.Id;
        await TellAsync(email, ct);
        await db.SaveChangesAsync(ct);
        await work.CommitAsync(ct);
    }

    private async Task<SendStep> FinishFailedAsync(Guid emailId, string error, bool permanent, CancellationToken ct)
    {
        await using var work = await db.BeginUnitOfWorkAsync(ct);
        var email = await LockAsync(emailId, ct);
        var retry = !permanent && email.Attempts < OutreachOptions.MaxAttempts;
        if (retry)
        {
            Finish(email, OutboundEmailStatus.Queued, error);
            email.NotBefore = clock.GetUtcNow() + OutreachOptions.RetrySchedule[Math.Max(0, email.Attempts - 1)];
        }
        else
        {
            Finish(email, OutboundEmailStatus.Failed, error);
            await TellAsync(email, ct);
        }
        await db.SaveChangesAsync(ct);
        await work.CommitAsync(ct);
        return retry ? SendStep.Retrying : SendStep.Failed;
    }

    private async Task<OutboundEmail> LockAsync(Guid id, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await db.Database.SqlQuery<Guid>($"select id as \"Value\" from outreach_emails where id = {id} for update").ToListAsync(ct);
        return await db.Set<OutboundEmail>().AsTracking().SingleAsync(o => o.Id == id, ct);
    }

    private static void Finish(OutboundEmail email, string status, string? error)
    {
        email.Status = status;
        email.Error = error is { Length: > 1000 } ? error[..1000] : error;
        email.LockedBy = null;
        email.LockedUntil = null;
    }

    private async Task TellAsync(OutboundEmail email, CancellationToken ct)
    {
        foreach (var observer in observers) await observer.OnOutcomeAsync(email, ct);
    }
}
