using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MimeKit.Utils;
using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Outreach;

/// <summary>
/// One email a sequence step or a campaign recipient will send, written in the same transaction as the step or the
/// recipient that wants it (<see cref="OutboundEmails.EnqueueAsync"/>). The sender worker claims queued rows, checks
/// suppressions and the mailbox's caps, sends, and records the outcome; <see cref="IOutboundEmailOutcomeObserver"/>s
/// hear of it in that same transaction.
/// </summary>
public sealed class OutboundEmail : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public required string IdempotencyKey { get; set; }
    public required string Source { get; set; }
    public Guid SourceId { get; set; }
    public Guid MailboxId { get; set; }
    public string? RelatedType { get; set; }
    public Guid? RelatedId { get; set; }
    public required string ToAddress { get; set; }
    public string? ToName { get; set; }
    public Guid? TemplateId { get; set; }
    public string? Subject { get; set; }
    public string? TextBody { get; set; }
    public string? HtmlBody { get; set; }
    public string Status { get; set; } = OutboundEmailStatus.Queued;
    public DateTimeOffset NotBefore { get; set; }
    public int Attempts { get; set; }
    public required string MessageId { get; set; }
    public Guid? EmailId { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? BouncedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

public static class OutboundEmailSources
{
    public const string Sequence = "sequence";
    public const string Campaign = "campaign";
}

public static class OutboundEmailStatus
{
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Suppressed = "suppressed";
    public const string Cancelled = "cancelled";
}

/// <summary>An address the tenant never emails from sequences or campaigns (stored lower-case).</summary>
public sealed class Suppression : ITenantOwned
{
    public Guid TenantId { get; set; }
    public required string Address { get; set; }
    public required string Reason { get; set; }
    public Guid? OutboundEmailId { get; set; }
    public string? Note { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class SuppressionReasons
{
    public const string Unsubscribed = "unsubscribed";
    public const string Bounced = "bounced";
    public const string Complaint = "complaint";
    public const string Manual = "manual";
    public static readonly IReadOnlyList<string> All = [Unsubscribed, Bounced, Complaint, Manual];
}

/// <summary>
/// What a sequence step or campaign recipient asks to send: to one person, through one mailbox, either a template
/// (rendered with the related record's merge fields when sent) or a subject and body given here.
/// </summary>
public sealed record OutboundEmailRequest(
    string IdempotencyKey, string Source, Guid SourceId, Guid MailboxId, string ToAddress, string? ToName,
    string? RelatedType, Guid? RelatedId, Guid? TemplateId, string? Subject, string? TextBody, string? HtmlBody,
    DateTimeOffset NotBefore);

/// <summary>
/// Told, inside the sender's transaction, when an outbound email reaches an outcome (sent, failed, suppressed,
/// cancelled) or later bounces: a campaign counts it, a sequence schedules its next step or stops. Runs in the
/// transaction that records the outcome, so the outcome and what follows from it commit together; must not commit.
/// </summary>
public interface IOutboundEmailOutcomeObserver
{
    Task OnOutcomeAsync(OutboundEmail email, CancellationToken ct);
}

/// <summary>Writes outbound emails into the queue, in the caller's unit of work.</summary>
[Scoped]
public sealed class OutboundEmails(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    /// <summary>
    /// Adds the email to the caller's DbContext (saved with the caller's changes) unless one with the same idempotency
    /// key exists already, which is then returned instead: a step written twice sends once.
    /// </summary>
    public async Task<OutboundEmail> EnqueueAsync(OutboundEmailRequest request, CancellationToken ct)
    {
        var tenantId = ctx.RequiredTenantId;
        var pending = db.ChangeTracker.Entries<OutboundEmail>().Select(e => e.Entity)
            .FirstOrDefault(e => e.TenantId == tenantId && e.IdempotencyKey == request.IdempotencyKey);
        if (pending is not null) return pending;
        if (await db.Set<OutboundEmail>().SingleOrDefaultAsync(e => e.IdempotencyKey == request.IdempotencyKey, ct) is { } known) return known;
        var mailboxAddress = await db.Set<Mailbox>().Where(m => m.Id == request.MailboxId).Select(m => m.Address).SingleAsync(ct);
        var email = new OutboundEmail
        {
            TenantId = tenantId,
            Id = Guid.CreateVersion7(),
            IdempotencyKey = request.IdempotencyKey,
            Source = request.Source,
            SourceId = request.SourceId,
            MailboxId = request.MailboxId,
            RelatedType = request.RelatedType,
            RelatedId = request.RelatedId,
            ToAddress = request.ToAddress.Trim().ToLowerInvariant(),
            ToName = request.ToName,
            TemplateId = request.TemplateId,
            Subject = request.Subject,
            TextBody = request.TextBody,
            HtmlBody = request.HtmlBody,
            NotBefore = request.NotBefore,
            MessageId = MimeUtils.GenerateMessageId(DomainOf(mailboxAddress)),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Add(email);
        return email;
    }

    private static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..];
}

internal sealed class OutboundEmailConfiguration : IEntityTypeConfiguration<OutboundEmail>
{
    public void Configure(EntityTypeBuilder<OutboundEmail> e)
    {
        e.ToTable("outreach_emails").HasKey(o => new { o.TenantId, o.Id });
        e.HasIndex(o => new { o.TenantId, o.IdempotencyKey }).IsUnique();
        e.HasOne<Mailbox>().WithMany().HasForeignKey(o => new { o.TenantId, o.MailboxId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SuppressionConfiguration : IEntityTypeConfiguration<Suppression>
{
    public void Configure(EntityTypeBuilder<Suppression> e) => e.ToTable("suppressions").HasKey(s => new { s.TenantId, s.Address });
}
