using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Platform.Tenancy;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> e)
    {
        e.ToTable("tenants");
        e.Property(t => t.Currency).HasColumnType("char(3)");
        e.Property(t => t.DefaultCountry).HasColumnType("char(2)");
    }
}
