using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Platform.Database;

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<TenantMembership>
{
    public void Configure(EntityTypeBuilder<TenantMembership> e)
    {
        e.ToTable("tenant_memberships");
        e.HasKey(m => new { m.TenantId, m.UserId });
        e.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId);
    }
}

internal sealed class SessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> e) => e.ToTable("user_sessions");
}

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> e)
    {
        e.ToTable("refresh_tokens");
        // Marking a token used updates "where used_at is null": of concurrent redemptions only one commits.
        e.Property(t => t.UsedAt).IsConcurrencyToken();
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("audit_log");
    }
}

internal sealed class AuditChainLinkConfiguration : IEntityTypeConfiguration<AuditChainLink>
{
    public void Configure(EntityTypeBuilder<AuditChainLink> e)
    {
        e.ToTable("audit_chain");
        e.HasKey(l => new { l.ChainId, l.Seq });
    }
}

internal sealed class AuditBacklogEntryConfiguration : IEntityTypeConfiguration<AuditBacklogEntry>
{
    public void Configure(EntityTypeBuilder<AuditBacklogEntry> e) => e.ToTable("audit_backlog");
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> e) => e.ToTable("data_protection_keys");
}

internal sealed class PlatformSettingConfiguration : IEntityTypeConfiguration<PlatformSetting>
{
    public void Configure(EntityTypeBuilder<PlatformSetting> e)
    {
        e.ToTable("platform_settings");
        e.HasKey(s => s.Key);
    }
}
