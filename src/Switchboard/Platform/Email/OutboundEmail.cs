namespace Switchboard.Platform.Email;

/// <summary>
/// One message in the outbox: rendered when queued, delivered by the job worker ('email.send'). A tenant's message
/// (an invitation) or a platform one (<see cref="TenantId"/> null: a password reset asked for before sign-in).
/// </summary>
public sealed class OutboundEmail
{
    public Guid Id { get; set; }
    public Guid? TenantId { get; set; }

    /// <summary>The template it was rendered from ("invitation", "password-reset" …).</summary>
    public required string Template { get; set; }
    public required string ToAddress { get; set; }
    public string? ToName { get; set; }
    public required string Subject { get; set; }

    /// <summary>Cleared once the message is sent or given up (it may hold a single-use link); kept in the dev mailbox.</summary>
    public string? TextBody { get; set; }
    public string? HtmlBody { get; set; }

    /// <summary>The Message-ID header, fixed when queued so that a retried delivery is recognisably the same message.</summary>
    public required string MessageId { get; set; }
    public string Status { get; set; } = EmailStatus.Queued;
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

public static class EmailStatus
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Failed = "failed";

    /// <summary>Kept in the dev mailbox: no SMTP server is configured and <see cref="SmtpOptions.DevMailbox"/> is on.</summary>
    public const string Kept = "kept";
}

internal sealed class OutboundEmailConfiguration : IEntityTypeConfiguration<OutboundEmail>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<OutboundEmail> e) => e.ToTable("outbound_emails");
}

public static class EmailData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<OutboundEmail> OutboundEmails => db.Set<OutboundEmail>();
    }
}
