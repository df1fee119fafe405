using MimeKit.Utils;

namespace Switchboard.Platform.Email;

public sealed record EmailRecipient(string Address, string? Name);

/// <summary>
/// Queues email. <see cref="QueueAsync"/> renders the message and adds it, with its delivery job, to the caller's unit
/// of work: both are written by the caller's SaveChanges, in the transaction of the change that causes the email, or
/// not at all. The job worker then delivers it (<see cref="EmailDelivery"/>).
/// </summary>
[Scoped]
public sealed class EmailOutbox(SwitchboardDbContext db, JobQueue jobs, EmailTemplates templates, IOptions<SmtpOptions> smtp, TimeProvider clock)
{
    /// <summary>Renders and queues a message for <paramref name="to"/>; branded for <paramref name="tenantId"/> (its name and logo), else the platform's.</summary>
    public async Task<OutboundEmail> QueueAsync(EmailTemplate email, EmailRecipient to, Guid? tenantId, CancellationToken ct)
    {
        var message = await RenderAsync(email, to, tenantId, ct);
        await jobs.EnqueueAsync(EmailDelivery.JobKind, new EmailDelivery.Payload(message.Id), tenantId, $"email:{message.Id}", ct: ct);
        return message;
    }

    /// <summary>Renders and adds a message without a delivery job, for a caller that delivers it itself (<c>switchboard mail test</c>).</summary>
    public async Task<OutboundEmail> RenderAsync(EmailTemplate email, EmailRecipient to, Guid? tenantId, CancellationToken ct)
    {
        var brand = tenantId is { } id
            ? await db.Tenants.AsNoTracking().Where(t => t.Id == id).Select(t => new EmailBranding(t.Name, t.LogoUrl)).SingleAsync(ct)
            : EmailBranding.Platform;
        var rendered = await templates.RenderAsync(email, brand, to.Name);
        var message = new OutboundEmail
        {
            Id = Guid.CreateVersion7(), TenantId = tenantId, Template = email.Name, ToAddress = to.Address, ToName = to.Name,
            Subject = rendered.Subject, TextBody = rendered.Text, HtmlBody = rendered.Html,
            MessageId = MimeUtils.GenerateMessageId(MessageIdDomain()), CreatedAt = clock.GetUtcNow(),
        };
        db.OutboundEmails.Add(message);
        return message;
    }

    private string MessageIdDomain() =>
        smtp.Value.From is { } from && MimeKit.MailboxAddress.TryParse(from, out var sender) && sender.Domain is { Length: > 0 } domain ? domain : "switchboard.local";
}
