using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Platform.Protection;

/// <summary>A platform IP block (ADR 0046): a CIDR block refused before anything else runs, made by a superadmin or by the abuse monitor.</summary>
public sealed class IpBlock
{
    public Guid Id { get; set; }
    public required string Network { get; set; }
    public required string Reason { get; set; }
    public required string Source { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LiftedAt { get; set; }
    public Guid? LiftedBy { get; set; }

    public string Status(DateTimeOffset now) =>
        LiftedAt is not null ? IpBlockStatus.Lifted : ExpiresAt <= now ? IpBlockStatus.Expired : IpBlockStatus.Active;

    public ActiveBlock ToActive() => new(Id, Network, Reason, Source, ExpiresAt);
}

public static class IpBlockSources
{
    public const string Manual = "manual";
    public const string Automatic = "automatic";
}

public static class IpBlockStatus
{
    public const string Active = "active";
    public const string Expired = "expired";
    public const string Lifted = "lifted";
}

internal sealed class IpBlockConfiguration : IEntityTypeConfiguration<IpBlock>
{
    public void Configure(EntityTypeBuilder<IpBlock> e) => e.ToTable("ip_blocks");
}

public static class IpBlocksData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<IpBlock> IpBlocks => db.Set<IpBlock>();
    }
}
