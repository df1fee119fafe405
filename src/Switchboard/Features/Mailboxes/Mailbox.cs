using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Mailboxes;

/// <summary>
/// A connected mailbox: a user's own (personal) or a team's (shared, created by administrators and granted to members).
/// The password is encrypted with the app's data-protection keys and never returned; <see cref="AuthKind"/> leaves
/// room for OAuth2 providers, whose tokens would live in the same encrypted <see cref="Secret"/>. Sync status columns
/// are written with set-based updates, so a sync does not fill the audit log.
/// </summary>
public sealed class Mailbox : ITenantOwned, IAudited, IStamped
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public required string Kind { get; set; }
    public Guid? OwnerId { get; set; }
    public required string Name { get; set; }
    public required string Address { get; set; }
    public string AuthKind { get; set; } = MailboxAuthKinds.Password;
    public required string ImapHost { get; set; }
    public int ImapPort { get; set; }
    public required string ImapSecurity { get; set; }
    public required string ImapUsername { get; set; }
    public required string SmtpHost { get; set; }
    public int SmtpPort { get; set; }
    public required string SmtpSecurity { get; set; }
    public required string SmtpUsername { get; set; }
    [AuditSecret] public required string Secret { get; set; }
    public string Visibility { get; set; } = MailboxVisibility.Full;
    public bool IsActive { get; set; } = true;
    public DateTimeOffset? LastSyncAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }
    public DateTimeOffset? LastReconciledAt { get; set; }
    public int LastReconcileMissed { get; set; }
    public string? WatchOwner { get; set; }
    public DateTimeOffset? WatchUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string AuditEntityType => "mailbox";
    public string AuditEntityId => Id.ToString();
}

public static class MailboxKinds
{
    public const string Personal = "personal";
    public const string Shared = "shared";
}

public static class MailboxAuthKinds
{
    public const string Password = "password";
    public const string OAuth2 = "oauth2";
}

/// <summary>What users other than the owner (and a shared inbox's members) see of a mailbox's messages on timelines.</summary>
public static class MailboxVisibility
{
    public const string Full = "full";
    public const string Subject = "subject";
    public const string Metadata = "metadata";
    public static readonly IReadOnlyList<string> All = [Full, Subject, Metadata];
}

public static class MailSecurity
{
    public const string None = "none";
    public const string StartTls = "starttls";
    public const string Tls = "tls";
    public static readonly IReadOnlyList<string> All = [None, StartTls, Tls];
}

public sealed class MailboxMember : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid MailboxId { get; set; }
    public Guid UserId { get; set; }
}

/// <summary>The UID bookkeeping of one synced folder (role inbox or sent).</summary>
public sealed class MailboxFolder : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid MailboxId { get; set; }
    public required string Role { get; set; }
    public required string Name { get; set; }
    public long UidValidity { get; set; }
    public long LastUid { get; set; }
    public DateTimeOffset? SyncedAt { get; set; }
}

public static class FolderRoles
{
    public const string Inbox = "inbox";
    public const string Sent = "sent";
}

/// <summary>A message synced from a mailbox's INBOX or Sent folder, or sent from the CRM (then stored at once).</summary>
public sealed class EmailMessage : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public Guid MailboxId { get; set; }
    public required string Folder { get; set; }
    public long? UidValidity { get; set; }
    public long? Uid { get; set; }
    public required string MessageId { get; set; }
    public string? InReplyTo { get; set; }
    public List<string> References { get; set; } = [];
    public required string Direction { get; set; }
    public required string FromAddress { get; set; }
    public string? FromName { get; set; }
    public List<string> ToAddresses { get; set; } = [];
    public List<string> CcAddresses { get; set; } = [];
    public string Subject { get; set; } = "";
    public string? TextBody { get; set; }
    public string? HtmlBody { get; set; }
    public DateTimeOffset SentAt { get; set; }
    public DateTimeOffset SyncedAt { get; set; }
    public string ServerState { get; set; } = ServerStates.Present;
    public string? ServerFolder { get; set; }
    public DateTimeOffset? ServerStateAt { get; set; }
    public Guid? SentBy { get; set; }
}

public static class ServerStates
{
    public const string Present = "present";
    public const string Moved = "moved";
    public const string Removed = "removed";
}

/// <summary>A message on a lead's, contact's or account's timeline, in a thread scoped to that counterparty.</summary>
public sealed class EmailLink : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid EmailId { get; set; }
    public required string RelatedType { get; set; }
    public Guid RelatedId { get; set; }
    public Guid ThreadId { get; set; }
}

public sealed class MailTemplate : ITenantOwned, IAudited, IStamped
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Subject { get; set; }
    public required string TextBody { get; set; }
    public string? HtmlBody { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string AuditEntityType => "email-template";
    public string AuditEntityId => Id.ToString();
}

internal sealed class MailboxConfiguration : IEntityTypeConfiguration<Mailbox>
{
    public void Configure(EntityTypeBuilder<Mailbox> e) => e.ToTable("mailboxes").HasKey(m => new { m.TenantId, m.Id });
}

internal sealed class MailboxMemberConfiguration : IEntityTypeConfiguration<MailboxMember>
{
    public void Configure(EntityTypeBuilder<MailboxMember> e)
    {
        e.ToTable("mailbox_members").HasKey(m => new { m.TenantId, m.MailboxId, m.UserId });
        e.HasOne<Mailbox>().WithMany().HasForeignKey(m => new { m.TenantId, m.MailboxId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MailboxFolderConfiguration : IEntityTypeConfiguration<MailboxFolder>
{
    public void Configure(EntityTypeBuilder<MailboxFolder> e)
    {
        e.ToTable("mailbox_folders").HasKey(f => new { f.TenantId, f.MailboxId, f.Role });
        e.HasOne<Mailbox>().WithMany().HasForeignKey(f => new { f.TenantId, f.MailboxId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EmailMessageConfiguration : IEntityTypeConfiguration<EmailMessage>
{
    public void Configure(EntityTypeBuilder<EmailMessage> e)
    {
        e.ToTable("email_messages").HasKey(m => new { m.TenantId, m.Id });
        e.Property(m => m.References).HasColumnName("references");
        e.HasOne<Mailbox>().WithMany().HasForeignKey(m => new { m.TenantId, m.MailboxId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EmailLinkConfiguration : IEntityTypeConfiguration<EmailLink>
{
    public void Configure(EntityTypeBuilder<EmailLink> e)
    {
        e.ToTable("email_links").HasKey(l => new { l.TenantId, l.EmailId, l.RelatedType, l.RelatedId });
        e.HasOne<EmailMessage>().WithMany().HasForeignKey(l => new { l.TenantId, l.EmailId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EmailTemplateConfiguration : IEntityTypeConfiguration<MailTemplate>
{
    public void Configure(EntityTypeBuilder<MailTemplate> e) => e.ToTable("email_templates").HasKey(t => new { t.TenantId, t.Id });
}
