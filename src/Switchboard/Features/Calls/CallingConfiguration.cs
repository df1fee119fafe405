using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Calls;

/// <summary>The calling tables: each keyed by its tenant first (JSON documents are jsonb by the DbContext's convention).</summary>
internal sealed class CallingConfiguration :
    IEntityTypeConfiguration<Call>, IEntityTypeConfiguration<CallEvent>, IEntityTypeConfiguration<CallDisposition>,
    IEntityTypeConfiguration<DncNumber>, IEntityTypeConfiguration<CallingSettings>, IEntityTypeConfiguration<AgentPresence>
{
    public void Configure(EntityTypeBuilder<Call> e) => e.ToTable("calls").HasKey(c => new { c.TenantId, c.Id });

    public void Configure(EntityTypeBuilder<CallEvent> e) => e.ToTable("call_events").HasKey(c => new { c.TenantId, c.Id });

    public void Configure(EntityTypeBuilder<CallDisposition> e) => e.ToTable("call_dispositions").HasKey(d => new { d.TenantId, d.Code });

    public void Configure(EntityTypeBuilder<DncNumber> e) => e.ToTable("dnc_numbers").HasKey(d => new { d.TenantId, d.Phone });

    public void Configure(EntityTypeBuilder<AgentPresence> e) => e.ToTable("agent_presence").HasKey(p => new { p.TenantId, p.UserId });

    public void Configure(EntityTypeBuilder<CallingSettings> e)
    {
        e.ToTable("calling_settings").HasKey(s => s.TenantId);
        // The key is the tenant, never a generated value (EF would otherwise invent a Guid on insert).
        e.Property(s => s.TenantId).ValueGeneratedNever();
        // The round-robin pointer moves with every inbound caller: not a change of the settings.
        e.Property(s => s.LastInboundAgent).NotVersioned();
    }
}
