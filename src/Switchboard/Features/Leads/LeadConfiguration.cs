using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Leads;

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> e)
    {
        e.ToTable("leads");
        e.HasKey(l => new { l.TenantId, l.Id });
        e.Property(l => l.Status).HasConversion(s => s.ToString().ToLowerInvariant(), s => Enum.Parse<LeadStatus>(s, true));
        e.Property(l => l.Custom).HasColumnType("jsonb");
        // Dialing stamps these; an agent's open edit form must not go stale because of a call.
        e.Property(l => l.LastCalledAt).NotVersioned();
        Search.SearchColumns.Map(e, "lead_search_text(first_name, last_name, company, email)");
    }
}
