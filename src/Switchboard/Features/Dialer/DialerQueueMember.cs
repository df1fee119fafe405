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

internal sealed class DialerQueueMemberConfiguration : IEntityTypeConfiguration<DialerQueueMember>
{
    public void Configure(EntityTypeBuilder<DialerQueueMember> e)
    {
        e.ToTable("dialer_queue_members");
        e.HasKey(m => new { m.TenantId, m.QueueId, m.LeadId });
    }
}
