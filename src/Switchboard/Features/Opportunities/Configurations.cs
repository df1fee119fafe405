using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Opportunities;

internal sealed class PipelineConfiguration : IEntityTypeConfiguration<Pipeline>
{
    public void Configure(EntityTypeBuilder<Pipeline> e)
    {
        e.ToTable("pipelines");
        e.HasKey(p => new { p.TenantId, p.Id });
        e.HasMany(p => p.Stages).WithOne().HasForeignKey(s => new { s.TenantId, s.PipelineId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PipelineStageConfiguration : IEntityTypeConfiguration<PipelineStage>
{
    public void Configure(EntityTypeBuilder<PipelineStage> e)
    {
        e.ToTable("pipeline_stages");
        e.HasKey(s => new { s.TenantId, s.Id });
    }
}

internal sealed class OpportunityConfiguration : IEntityTypeConfiguration<Opportunity>
{
    public void Configure(EntityTypeBuilder<Opportunity> e)
    {
        e.ToTable("opportunities");
        e.HasKey(o => new { o.TenantId, o.Id });
        e.Property(o => o.Amount).HasColumnType("numeric(18,2)");
        e.Property(o => o.Custom).HasColumnType("jsonb");
        Search.SearchColumns.Map(e, "lower(name)");
    }
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> e)
    {
        e.ToTable("products");
        e.HasKey(p => new { p.TenantId, p.Id });
        e.Property(p => p.Price).HasColumnType("numeric(18,2)");
    }
}

internal sealed class OpportunityProductConfiguration : IEntityTypeConfiguration<OpportunityProduct>
{
    public void Configure(EntityTypeBuilder<OpportunityProduct> e)
    {
        e.ToTable("opportunity_products");
        e.HasKey(l => new { l.TenantId, l.Id });
        e.Property(l => l.Quantity).HasColumnType("numeric(12,2)");
        e.Property(l => l.UnitPrice).HasColumnType("numeric(18,2)");
    }
}
