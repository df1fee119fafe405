using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Opportunities;

internal sealed class PipelineConfiguration() : TenantTableConfiguration<Pipeline>("pipelines")
{
    protected override void Map(EntityTypeBuilder<Pipeline> e) =>
        e.HasMany(p => p.Stages).WithOne().HasForeignKey(s => new { s.TenantId, s.PipelineId }).OnDelete(DeleteBehavior.Cascade);
}

internal sealed class PipelineStageConfiguration() : TenantTableConfiguration<PipelineStage>("pipeline_stages");

internal sealed class OpportunityConfiguration() : TenantTableConfiguration<Opportunity>("opportunities")
{
    protected override void Map(EntityTypeBuilder<Opportunity> e)
    {
        e.Property(o => o.Amount).HasColumnType("numeric(18,2)");
        Search.SearchColumns.Map(e, "lower(name)");
    }
}

internal sealed class ProductConfiguration() : TenantTableConfiguration<Product>("products")
{
    protected override void Map(EntityTypeBuilder<Product> e) => e.Property(p => p.Price).HasColumnType("numeric(18,2)");
}

internal sealed class OpportunityProductConfiguration() : TenantTableConfiguration<OpportunityProduct>("opportunity_products")
{
    protected override void Map(EntityTypeBuilder<OpportunityProduct> e)
    {
        e.Property(l => l.Quantity).HasColumnType("numeric(12,2)");
        e.Property(l => l.UnitPrice).HasColumnType("numeric(18,2)");
    }
}
