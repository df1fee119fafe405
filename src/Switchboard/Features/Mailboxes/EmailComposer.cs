using System.Globalization;
using System.Text.Encodings.Web;
using Fluid;
using MailKit;
using MimeKit;
using MimeKit.Utils;
using Switchboard.Features.Activities;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Mailboxes;

/// <summary>
/// Composes and sends an email from a lead or contact (POST /api/v1/emails): the body as written or a tenant template
/// rendered with the record's merge fields (Fluid; values HTML-encoded in the HTML part), sent through the mailbox's
/// SMTP server, appended to its Sent folder, and stored at once with the Message-ID it was sent with — so the next
/// sync of the Sent folder matches it by Message-ID instead of storing it twice. A reply carries In-Reply-To and
/// References, which put it in its counterparty's thread.
/// </summary>
// Wide on purpose: database, tenant, clock and logger are ambient; sending is one use case over the mailbox (access,
// its servers), the record it is sent from, linking the stored message to its records as the sync would, and
// answering with it as the sender may read it.
[Scoped]
public sealed class EmailComposer(
    SwitchboardDbContext db, TenantContext ctx, MailboxAccess access, MailServers servers, EmailLinker linker, RelatedRecords related,
    EmailReader reader, TimeProvider clock, ILogger<EmailComposer> logger)
{
    private static readonly FluidParser Parser = new();

    public async Task<Outcome<EmailDto>> SendAsync(EmailWrite body, CancellationToken ct)
    {
        if (!ActivityPermissions.CanWrite(ctx)) return new Outcome<EmailDto>.Forbidden("Your role cannot send email.");
        var errors = body.BindingErrors();
        if (body.MailboxId.Value is not { } mailboxId) { errors.Add("mailboxId", "mailboxId is required."); mailboxId = Guid.Empty; }
        var mailbox = await access.Usable().AsNoTracking().SingleOrDefaultAsync(m => m.Id == mailboxId, ct);
        if (body.MailboxId.Value is not null && mailbox is null) return new Outcome<EmailDto>.NotFound();
        if (mailbox is { IsActive: false }) errors.Add("mailboxId", "This mailbox is switched off.");
        var to = Addresses(body.To.Value, "to", errors);
        var cc = Addresses(body.Cc.Value, "cc", errors);
        if (to.Count == 0 && !errors.Has("to")) errors.Add("to", "At least one recipient is required.");
        var relatedType = body.RelatedType.OneOf("relatedType", ["lead", "contact"], errors).Value;
        await related.ValidateAsync(relatedType, body.RelatedId.Value, required: false, errors, ct);

        EmailMessage? original = null;
        if (body.InReplyToId.Value is { } replyTo)
        {
            original = await db.Set<EmailMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == replyTo, ct);
            if (original is null || !await reader.CanSeeAsync(original, ct)) errors.Add("inReplyToId", "No email with this id exists.");
        }
        var subject = body.Subject.Value;
        var text = body.Text.Value;
        var html = body.Html.Value;
        if (body.TemplateId.Value is { } templateId && errors.IsValid)
        {
            if (await db.Set<MailTemplate>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId, ct) is not { } template)
                errors.Add("templateId", "No template with this id exists.");
            else
            {
                var rendered = await RenderTemplateAsync(template, relatedType, body.RelatedId.Value, mailbox!, errors, ct);
                subject ??= rendered.Subject;
                text ??= rendered.Text;
                html ??= rendered.Html;
            }
        }
        if (string.IsNullOrWhiteSpace(subject) && original is not null)
            subject = original.Subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? original.Subject : $"Re: {original.Subject}";
        errors.Required("subject", subject, "Subject", 500);
        if (string.IsNullOrWhiteSpace(text) && string.IsNullOrWhiteSpace(html)) errors.Add("text", "Write the message (text or html).");
        errors.MaxLength("text", text, "Text", 100_000);
        errors.MaxLength("html", html, "HTML", 200_000);
        if (!errors.IsValid) return new Outcome<EmailDto>.Invalid(errors.ToDictionary());

        return await DeliverAsync(mailbox!, to, cc, subject!, text, html, original, ct) switch
        {
            Outcome<EmailMessage>.Ok ok => await reader.ToDtoAsync(ok.Value, ct),
            Outcome<EmailMessage>.Conflict conflict => new Outcome<EmailDto>.Conflict(conflict.Message) { Reason = conflict.Reason },
            var other => throw new InvalidOperationException($"Unexpected outcome {other}"),
        };
    }

    /// <summary>
    /// Sends a validated message through the mailbox's SMTP server, appends it to the Sent folder and stores it (with its
    /// links): the one sending path for composed email and for replies from other features (support tickets). A refusal
    /// by the server answers Conflict with reason smtp.
    /// </summary>
    public async Task<Outcome<EmailMessage>> DeliverAsync(
        Mailbox mailbox, List<string> to, List<string> cc, string subject, string? text, string? html, EmailMessage? original, CancellationToken ct)
    {
        var message = Build(mailbox, to, cc, subject, text, html, original);
        try
        {
            using var smtp = await servers.OpenSmtpAsync(mailbox, ct);
            await smtp.SendAsync(message, ct);
            await smtp.DisconnectAsync(true, ct);
        }
        catch (Exception e) when (e is MailServerRefusedException or MailKit.Security.AuthenticationException or MailKit.Net.Smtp.SmtpCommandException
                                      or MailKit.Net.Smtp.SmtpProtocolException or IOException or System.Net.Sockets.SocketException)
        {
            return new Outcome<EmailMessage>.Conflict($"The SMTP server refused the message: {e.Message}") { Reason = "smtp" };
        }
        var (validity, uid) = await AppendToSentAsync(mailbox, message, ct);
        return await StoreAsync(mailbox, message, validity, uid, ct);
    }

    /// <summary>
    /// A template's subject, text and html rendered with the related record's merge fields (null parts when it does
    /// not parse; the error is reported on templateId). Shared by compose and the outreach sender.
    /// </summary>
    internal Task<(string? Subject, string? Text, string? Html)> RenderTemplateAsync(
        MailTemplate template, string? relatedType, Guid? relatedId, Mailbox mailbox, ValidationErrors errors, CancellationToken ct) =>
        RenderPartsAsync(template.Subject, template.TextBody, template.HtmlBody, relatedType, relatedId, mailbox, "templateId", errors, ct);

    /// <summary>
    /// Subject, text and html written with merge fields (a sequence step's or a campaign's own), rendered like a
    /// template's; a part that does not parse is reported on <paramref name="field"/>.
    /// </summary>
    internal async Task<(string? Subject, string? Text, string? Html)> RenderPartsAsync(
        string? subject, string? text, string? html, string? relatedType, Guid? relatedId, Mailbox mailbox, string field, ValidationErrors errors, CancellationToken ct)
    {
        var values = await MergeValuesAsync(relatedType, relatedId, mailbox, ct);
        return ((subject is null ? null : await RenderAsync(subject, values, NullEncoder.Default, field, errors))?.Trim(),
            text is null ? null : await RenderAsync(text, values, NullEncoder.Default, field, errors),
            html is null ? null : await RenderAsync(html, values, HtmlEncoder.Default, field, errors));
    }

    /// <summary>
    /// The message as sent: a new Message-ID unless <paramref name="messageId"/> is given (the outreach sender's, fixed
    /// when the email was queued, so every attempt carries the same one).
    /// </summary>
    internal MimeMessage Build(Mailbox mailbox, List<string> to, List<string> cc, string subject, string? text, string? html, EmailMessage? original,
        string? messageId = null, string? toName = null)
    {
        var domain = mailbox.Address.Split('@').Last();
        var message = new MimeMessage
        {
            MessageId = messageId?.Trim('<', '>') ?? MimeUtils.GenerateMessageId(domain),
            Date = clock.GetUtcNow(),
            Subject = subject,
        };
        message.From.Add(new MailboxAddress(mailbox.Name, mailbox.Address));
        message.To.AddRange(to.Select(a => toName is not null && to.Count == 1 ? new MailboxAddress(toName, a) : MailboxAddress.Parse(a)));
        message.Cc.AddRange(cc.Select(a => MailboxAddress.Parse(a)));
        if (original is not null)
        {
            message.InReplyTo = original.MessageId;
            foreach (var reference in original.References.Append(original.MessageId).Distinct()) message.References.Add(reference);
        }
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }

    /// <summary>Appends the sent message to the Sent folder; its UIDVALIDITY and UID when the server says (UIDPLUS), else nulls.</summary>
    internal async Task<(long? Validity, long? Uid)> AppendToSentAsync(Mailbox mailbox, MimeMessage message, CancellationToken ct)
    {
        try
        {
            using var imap = await servers.OpenImapAsync(mailbox, ct);
            if (await MailServers.SentFolderAsync(imap, ct) is not { } sent) return (null, null);
            var uid = await sent.AppendAsync(message, MessageFlags.Seen, ct);
            await imap.DisconnectAsync(true, ct);
            return uid is { } u && u.Validity != 0 ? (u.Validity, u.Id) : (null, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Sent already; the CRM keeps its copy and the status shows why the Sent folder lacks it.
            logger.LogWarning(e, "Could not append a sent message to the Sent folder of mailbox {MailboxId}", mailbox.Id);
            await db.Set<Mailbox>().Where(m => m.Id == mailbox.Id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.LastError, $"Sent, but not saved to the Sent folder: {e.Message}").SetProperty(m => m.LastErrorAt, clock.GetUtcNow()), ct);
            return (null, null);
        }
    }

    /// <summary>Stores the sent message and links it to the timeline; joins the caller's transaction when there is one.</summary>
    internal async Task<EmailMessage> StoreAsync(Mailbox mailbox, MimeMessage message, long? validity, long? uid, CancellationToken ct)
    {
        await using var work = await db.BeginUnitOfWorkAsync(ct);
        await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock(hashtextextended({"mailbox-sync:" + mailbox.Id}, 0))", ct);
        var messageId = MailboxSync.MessageIdOf(message);
        // A sync may have met the message in the Sent folder between the append and now.
        if (await db.Set<EmailMessage>().SingleOrDefaultAsync(m => m.MailboxId == mailbox.Id && m.MessageId == messageId, ct) is { } synced)
        {
            synced.SentBy = ctx.UserId;
            await db.SaveChangesAsync(ct);
            await work.CommitAsync(ct);
            return synced;
        }
        var now = clock.GetUtcNow();
        var email = new EmailMessage
        {
            TenantId = mailbox.TenantId, Id = Guid.CreateVersion7(), MailboxId = mailbox.Id, Folder = FolderRoles.Sent,
            UidValidity = uid is null ? null : validity, Uid = uid, MessageId = messageId, InReplyTo = MailboxSync.Bracket(message.InReplyTo),
            References = message.References.Select(r => MailboxSync.Bracket(r)!).ToList(), Direction = "outbound",
            FromAddress = mailbox.Address, FromName = mailbox.Name,
            ToAddresses = message.To.Mailboxes.Select(m => m.Address).ToList(), CcAddresses = message.Cc.Mailboxes.Select(m => m.Address).ToList(),
            Subject = message.Subject ?? "", TextBody = message.TextBody, HtmlBody = message.HtmlBody,
            SentAt = message.Date, SyncedAt = now, SentBy = ctx.UserId,
        };
        db.Add(email);
        db.AddRange(await linker.LinkAsync(email, mailbox.Address, ct));
        await db.SaveChangesAsync(ct);
        await work.CommitAsync(ct);
        return email;
    }

    private async Task<Dictionary<string, object?>> MergeValuesAsync(string? type, Guid? id, Mailbox mailbox, CancellationToken ct)
    {
        var recipient = new Dictionary<string, object?> { ["first_name"] = "", ["last_name"] = "", ["name"] = "", ["email"] = "", ["company"] = "" };
        if (type == "lead" && id is { } leadId && await db.Leads.AsNoTracking().SingleOrDefaultAsync(l => l.Id == leadId, ct) is { } lead)
        {
            recipient["first_name"] = lead.FirstName;
            recipient["last_name"] = lead.LastName;
            recipient["name"] = $"{lead.FirstName} {lead.LastName}".Trim();
            recipient["email"] = lead.Email ?? "";
            recipient["company"] = lead.Company ?? "";
        }
        else if (type == "contact" && id is { } contactId && await db.Set<Contact>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == contactId, ct) is { } contact)
        {
            recipient["first_name"] = contact.FirstName;
            recipient["last_name"] = contact.LastName;
            recipient["name"] = $"{contact.FirstName} {contact.LastName}".Trim();
            recipient["email"] = contact.Emails.FirstOrDefault() ?? "";
            if (contact.AccountId is { } accountId)
                recipient["company"] = await db.Set<Accounts.Account>().AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Name).SingleOrDefaultAsync(ct) ?? "";
        }
        var user = ctx.UserId is { } userId ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct) : null;
        var sender = new Dictionary<string, object?>
        {
            ["first_name"] = user?.FirstName ?? "", ["last_name"] = user?.LastName ?? "",
            ["name"] = $"{user?.FirstName} {user?.LastName}".Trim(), ["email"] = mailbox.Address,
        };
        return new Dictionary<string, object?> { ["recipient"] = recipient, ["sender"] = sender };
    }

    /// <summary>Renders a template part; a part that does not parse is reported on <paramref name="field"/>.</summary>
    public static async Task<string?> RenderAsync(string source, Dictionary<string, object?> values, TextEncoder encoder, string field, ValidationErrors errors)
    {
        if (!Parser.TryParse(source, out var template, out var error))
        {
            errors.Add(field, $"The template does not parse: {error}");
            return null;
        }
        var options = new TemplateOptionsBuilder().WithCultureInfo(CultureInfo.InvariantCulture).Build();
        var context = new TemplateContext(options);
        foreach (var (name, value) in values) context.SetValue(name, Fluid.Values.FluidValue.Create(value, options));
        return await template.RenderAsync(context, encoder);
    }

    private static List<string> Addresses(List<string>? values, string field, ValidationErrors errors)
    {
        var result = new List<string>();
        foreach (var value in values ?? [])
        {
            if (string.IsNullOrWhiteSpace(value) || !MailboxAddress.TryParse(value.Trim(), out var parsed) || !parsed.Address.Contains('@'))
                errors.Add(field, $"'{value}' is not a valid email address.");
            else result.Add(parsed.Address);
        }
        if (result.Count > 50) errors.Add(field, "At most 50 addresses.");
        return result;
    }
}
