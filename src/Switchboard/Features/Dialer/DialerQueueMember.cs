using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Dialer;

/// <summary>
/// A lead added to a queue by hand (the lists' bulk action "add to dialer queue"): the queue serves it beside the
/// leads its filter matches, under the same callable rules (<see cref="DialerQueues.Matching"/>).
/// </summary>
public sealed class DialerQueueMember : ITenantOwned, IAudited
{
    public Guid TenantId { get; set; }
    public Guid QueueId { get; set; }
    public Guid LeadId { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public Guid? AddedBy { get; set; }

    public string AuditEntityType => "dialer-queue-member";
    public string AuditEntityId => $"{QueueId}/{LeadId}";
}

/// <summary>
/// A contact added to a queue (the contacts list's bulk action, the contact's page, the API; ADR 0035): the queue
/// serves it beside its leads, in the same order and under the same compliance rules. Queues have no filter over contacts.
/// </summary>
public sealed class DialerQueueContact : ITenantOwned, IAudited
{
    public Guid TenantId { get; set; }
    public Guid QueueId { get; set; }
    public Guid ContactId { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public Guid? AddedBy { get; set; }

    public string AuditEntityType => "dialer-queue-contact";
    public string AuditEntityId => $"{QueueId}/{ContactId}";
}

internal sealed class DialerQueueMemberConfiguration : IEntityTypeConfiguration<DialerQueueMember>
{
    public void Configure(EntityTypeBuilder<DialerQueueMember> e)
    {
        e.ToTable("dialer_queue_members");
        e.HasKey(m => new { m.TenantId, m.QueueId, m.LeadId });
    }
}

internal sealed class DialerQueueContactConfiguration : IEntityTypeConfiguration<DialerQueueContact>
{
    public void Configure(EntityTypeBuilder<DialerQueueContact> e)
    {
        e.ToTable("dialer_queue_contacts");
        e.HasKey(m => new { m.TenantId, m.QueueId, m.ContactId });
    }
}
