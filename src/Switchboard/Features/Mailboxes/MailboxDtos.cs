namespace Switchboard.Features.Mailboxes;

public sealed record MailServerDto(string Host, int Port, string Security, string Username);

/// <summary>Sync status: shown to the mailbox's owner and administrators only (null for anyone else).</summary>
public sealed record MailboxStatusDto(
    DateTimeOffset? LastSyncAt, string? LastError, DateTimeOffset? LastErrorAt, DateTimeOffset? LastReconciledAt,
    int LastReconcileMissed, int Messages, bool Watched, IReadOnlyList<MailboxFolderDto> Folders);

public sealed record MailboxFolderDto(string Role, string Name, long UidValidity, long LastUid, DateTimeOffset? SyncedAt);

/// <summary>A mailbox as the API returns it; the password is never part of it.</summary>
public sealed record MailboxDto(
    Guid Id, string Kind, Guid? OwnerId, string Name, string Address, string AuthKind, MailServerDto Imap, MailServerDto Smtp,
    string Visibility, bool Active, IReadOnlyList<Guid> MemberIds, MailboxStatusDto? Status, DateTimeOffset CreatedAt);

/// <summary>The body of POST /api/v1/mailboxes (and the fields PATCH may change).</summary>
public sealed record MailboxWrite : RequestBody
{
    /// <summary>personal (the caller's own; the default) or shared (a team inbox; administrators).</summary>
    public Optional<string?> Kind { get; init; }
    public Optional<string?> Name { get; init; }
    /// <summary>The mailbox's own address (excluded from linking).</summary>
    public Optional<string?> Address { get; init; }
    public Optional<string?> ImapHost { get; init; }
    public Optional<int?> ImapPort { get; init; }
    /// <summary>none, starttls or tls.</summary>
    public Optional<string?> ImapSecurity { get; init; }
    public Optional<string?> ImapUsername { get; init; }
    public Optional<string?> SmtpHost { get; init; }
    public Optional<int?> SmtpPort { get; init; }
    public Optional<string?> SmtpSecurity { get; init; }
    /// <summary>Defaults to the IMAP user name.</summary>
    public Optional<string?> SmtpUsername { get; init; }
    /// <summary>Write-only; encrypted at rest and never returned.</summary>
    public Optional<string?> Password { get; init; }
    /// <summary>What other users see of its messages on timelines: full, subject or metadata.</summary>
    public Optional<string?> Visibility { get; init; }
    public Optional<bool?> Active { get; init; }
    /// <summary>A shared inbox's members (users who may read and send from it).</summary>
    public Optional<List<Guid>?> MemberIds { get; init; }
}

/// <summary>The body of POST /api/v1/emails.</summary>
public sealed record EmailWrite : RequestBody
{
    public Optional<Guid?> MailboxId { get; init; }
    public Optional<List<string>?> To { get; init; }
    public Optional<List<string>?> Cc { get; init; }
    public Optional<string?> Subject { get; init; }
    public Optional<string?> Text { get; init; }
    public Optional<string?> Html { get; init; }
    public Optional<Guid?> TemplateId { get; init; }
    /// <summary>lead or contact: the record the email is written from (its merge fields fill a template).</summary>
    public Optional<string?> RelatedType { get; init; }
    public Optional<Guid?> RelatedId { get; init; }
    /// <summary>The stored message this one answers: sets In-Reply-To and References, and "Re:" when no subject is given.</summary>
    public Optional<Guid?> InReplyToId { get; init; }
}

public sealed record EmailDto(
    Guid Id, Guid MailboxId, string Folder, string Direction, string MessageId, string? InReplyTo, string From, string? FromName,
    IReadOnlyList<string> To, IReadOnlyList<string> Cc, string? Subject, string? Text, string? Html, DateTimeOffset SentAt,
    string ServerState, string? ServerFolder, IReadOnlyList<EmailLinkDto> Links, string Visibility);

public sealed record EmailLinkDto(string RelatedType, Guid RelatedId, Guid ThreadId);

/// <summary>The body of POST/PATCH /api/v1/email-templates.</summary>
public sealed record EmailTemplateWrite : RequestBody
{
    public Optional<string?> Name { get; init; }
    public Optional<string?> Subject { get; init; }
    public Optional<string?> Text { get; init; }
    public Optional<string?> Html { get; init; }
}

public sealed record EmailTemplateDto(Guid Id, string Name, string Subject, string Text, string? Html, DateTimeOffset UpdatedAt);
