using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Support.Tickets;

/// <summary>
/// A support ticket: a thread that arrived on a support inbox, its requester, status, assignee and triage, and the SLA
/// due times from the tenant's targets for its priority (ADR 0058). <see cref="Number"/> is the human reference (#1042),
/// unique per tenant. Created by <see cref="TicketIntake"/>, changed through <see cref="TicketService"/>.
/// </summary>
public sealed class Ticket : AuditedRow
{
    public int Number { get; set; }
    public Guid MailboxId { get; set; }
    public required string Subject { get; set; }
    public required string RequesterAddress { get; set; }
    public string? RequesterName { get; set; }
    public Guid? RequesterContactId { get; set; }
    public string Status { get; set; } = TicketStatuses.Open;
    public Guid? AssigneeId { get; set; }
    public required string Priority { get; set; }
    public required string Category { get; set; }
    public required string Sentiment { get; set; }
    public string SuggestedReply { get; set; } = "";
    public required string TriageEngine { get; set; }
    public string? TriageModel { get; set; }
    public string? TriageFallback { get; set; }
    public JsonDocument TriageReasons { get; set; } = JsonDocument.Parse("[]");
    public JsonDocument TriageNotes { get; set; } = JsonDocument.Parse("[]");
    public DateTimeOffset FirstResponseDueAt { get; set; }
    public DateTimeOffset ResolutionDueAt { get; set; }
    public DateTimeOffset? FirstRespondedAt { get; set; }
    public DateTimeOffset? SolvedAt { get; set; }

    public string Reference => $"#{Number}";

    public override string AuditEntityType => "ticket";
}

public static class TicketStatuses
{
    public const string Open = "open";
    public const string Pending = "pending";
    public const string Solved = "solved";
    public static readonly IReadOnlyList<string> All = [Open, Pending, Solved];
}

/// <summary>A message of a ticket (inbound or outbound); an email belongs to one ticket at most.</summary>
public sealed class TicketMessage : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid EmailId { get; set; }
    public Guid TicketId { get; set; }
}

/// <summary>A shared mailbox that is a support inbox: mail dated from <see cref="Since"/> on becomes tickets.</summary>
public sealed class SupportInbox : ITenantOwned, IAudited, IStamped
{
    public Guid TenantId { get; set; }
    public Guid MailboxId { get; set; }
    public DateTimeOffset Since { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string AuditEntityType => "support-inbox";
    public string AuditEntityId => MailboxId.ToString();
}

/// <summary>The last ticket number handed out in a tenant (written with one upsert, never through the change tracker).</summary>
public sealed class TicketCounter : ITenantOwned
{
    public Guid TenantId { get; set; }
    public int LastNumber { get; set; }
}

internal sealed class TicketConfiguration() : TenantTableConfiguration<Ticket>("tickets")
{
    protected override void Map(EntityTypeBuilder<Ticket> e)
    {
        e.Property(t => t.TriageReasons).HasColumnType("jsonb");
        e.Property(t => t.TriageNotes).HasColumnType("jsonb");
        e.Ignore(t => t.Reference);
        e.HasIndex(t => new { t.TenantId, t.Number }).IsUnique();
        e.HasOne<Mailbox>().WithMany().HasForeignKey(t => new { t.TenantId, t.MailboxId }).OnDelete(DeleteBehavior.Cascade);
        // The contact foreign key (on delete set null) lives in SQL only: EF would null the tenant id with it.
    }
}

internal sealed class TicketMessageConfiguration : IEntityTypeConfiguration<TicketMessage>
{
    public void Configure(EntityTypeBuilder<TicketMessage> e)
    {
        e.ToTable("ticket_messages").HasKey(m => new { m.TenantId, m.EmailId });
        e.HasOne<Ticket>().WithMany().HasForeignKey(m => new { m.TenantId, m.TicketId }).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<EmailMessage>().WithMany().HasForeignKey(m => new { m.TenantId, m.EmailId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SupportInboxConfiguration : IEntityTypeConfiguration<SupportInbox>
{
    public void Configure(EntityTypeBuilder<SupportInbox> e)
    {
        e.ToTable("support_inboxes").HasKey(s => new { s.TenantId, s.MailboxId });
        e.HasOne<Mailbox>().WithMany().HasForeignKey(s => new { s.TenantId, s.MailboxId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TicketCounterConfiguration : IEntityTypeConfiguration<TicketCounter>
{
    public void Configure(EntityTypeBuilder<TicketCounter> e) => e.ToTable("ticket_counters").HasKey(c => c.TenantId);
}
