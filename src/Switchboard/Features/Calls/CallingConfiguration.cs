using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Telephony;
using Switchboard.Platform.Jobs;

namespace Switchboard.Features.Calls;

internal sealed class CallConfiguration : IEntityTypeConfiguration<Call>
{
    public void Configure(EntityTypeBuilder<Call> e)
    {
        e.ToTable("calls");
        e.HasKey(c => new { c.TenantId, c.Id });
    }
}

internal sealed class CallEventConfiguration : IEntityTypeConfiguration<CallEvent>
{
    public void Configure(EntityTypeBuilder<CallEvent> e)
    {
        e.ToTable("call_events");
        e.HasKey(c => new { c.TenantId, c.Id });
        e.Property(c => c.Payload).HasColumnType("jsonb");
    }
}

internal sealed class CallDispositionConfiguration : IEntityTypeConfiguration<CallDisposition>
{
    public void Configure(EntityTypeBuilder<CallDisposition> e)
    {
        e.ToTable("call_dispositions");
        e.HasKey(d => new { d.TenantId, d.Code });
    }
}

internal sealed class DncNumberConfiguration : IEntityTypeConfiguration<DncNumber>
{
    public void Configure(EntityTypeBuilder<DncNumber> e)
    {
        e.ToTable("dnc_numbers");
        e.HasKey(d => new { d.TenantId, d.Phone });
    }
}

internal sealed class CallingSettingsConfiguration : IEntityTypeConfiguration<CallingSettings>
{
    public void Configure(EntityTypeBuilder<CallingSettings> e)
    {
        e.ToTable("calling_settings");
        e.HasKey(s => s.TenantId);
        // The key is the tenant, never a generated value (EF would otherwise invent a Guid on insert).
        e.Property(s => s.TenantId).ValueGeneratedNever();
        e.Property(s => s.CallingHours).HasColumnType("jsonb");
        // The round-robin pointer moves with every inbound caller: not a change of the settings.
        e.Property(s => s.LastInboundAgent).NotVersioned();
    }
}

internal sealed class AgentPresenceConfiguration : IEntityTypeConfiguration<AgentPresence>
{
    public void Configure(EntityTypeBuilder<AgentPresence> e)
    {
        e.ToTable("agent_presence");
        e.HasKey(p => new { p.TenantId, p.UserId });
    }
}

internal sealed class TelephonyProviderConfiguration : IEntityTypeConfiguration<TelephonyProvider>
{
    public void Configure(EntityTypeBuilder<TelephonyProvider> e)
    {
        e.ToTable("telephony_providers");
        e.HasKey(p => new { p.TenantId, p.Provider });
        e.Property(p => p.Settings).HasColumnType("jsonb");
    }
}

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> e)
    {
        e.ToTable("jobs");
        e.Property(j => j.Payload).HasColumnType("jsonb");
    }
}
