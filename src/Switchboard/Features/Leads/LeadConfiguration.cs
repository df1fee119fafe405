using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Leads;

internal sealed class LeadConfiguration() : TenantTableConfiguration<Lead>("leads")
{
    protected override void Map(EntityTypeBuilder<Lead> e)
    {
        e.Property(l => l.Status).HasConversion(s => s.ToString().ToLowerInvariant(), s => Enum.Parse<LeadStatus>(s, true));
        // Dialing stamps these; an agent's open edit form must not go stale because of a call.
        e.Property(l => l.LastCalledAt).NotVersioned();
        Search.SearchColumns.Map(e, "lead_search_text(first_name, last_name, company, email)");
    }
}
