using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Outreach;

/// <summary>A mailbox's outreach caps and pause (no row: the defaults, not paused).</summary>
public sealed class OutreachMailboxSettings : ITenantOwned, IAudited
{
    public const int DefaultPerMinute = 10;
    public const int DefaultPerDay = 500;

    public Guid TenantId { get; set; }
    public Guid MailboxId { get; set; }
    public int PerMinute { get; set; } = DefaultPerMinute;
    public int PerDay { get; set; } = DefaultPerDay;
    public DateTimeOffset? PausedAt { get; set; }
    public string? PausedReason { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string AuditEntityType => "outreach-mailbox";
    public string AuditEntityId => MailboxId.ToString();
}

internal sealed class OutreachMailboxSettingsConfiguration : IEntityTypeConfiguration<OutreachMailboxSettings>
{
    public void Configure(EntityTypeBuilder<OutreachMailboxSettings> e)
    {
        e.ToTable("outreach_mailbox_settings").HasKey(s => new { s.TenantId, s.MailboxId });
        e.HasOne<Mailbox>().WithMany().HasForeignKey(s => new { s.TenantId, s.MailboxId }).OnDelete(DeleteBehavior.Cascade);
    }
}
