using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Calls;

namespace Switchboard.Features.Dialer;

/// <summary>
/// An agent working one of their queues (ADR 0017). Open while <see cref="EndedAt"/> is null; at most one open
/// session per agent and queue. <see cref="CurrentLeadId"/> is the lead every tab of the session shows.
/// </summary>
public sealed class DialerSession : TenantRow
{
    public Guid UserId { get; set; }
    public Guid QueueId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastActiveAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public Guid? CurrentLeadId { get; set; }
    public DateTimeOffset? CurrentSince { get; set; }
    public int Calls { get; set; }
    public int Connected { get; set; }
    public int Outcomes { get; set; }
    public int Skipped { get; set; }
    /// <summary>This session's countdown before auto-dialing the next lead; null = the tenant's (ADR 0032).</summary>
    public int? AutoDialSeconds { get; set; }
    public bool AutoDialPaused { get; set; }
    /// <summary>The countdown the server armed: this lead dials at <see cref="AutoDialAt"/> unless the agent pauses or cancels.</summary>
    public Guid? AutoDialLeadId { get; set; }
    public DateTimeOffset? AutoDialAt { get; set; }
    /// <summary>The lead a call was placed for: a second dial of it (another tab, a double click) is not placed.</summary>
    public Guid? DialedLeadId { get; set; }
    public int Version { get; set; } = 1;
}

/// <summary>A lead the session is done with: skipped, or called and given an outcome. It is not served again in that session.</summary>
public sealed class DialerSessionLead : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid SessionId { get; set; }
    public Guid LeadId { get; set; }
    public DateTimeOffset HandledAt { get; set; }
    public required string Kind { get; set; }
}

public static class DialerSessionLeadKinds
{
    public const string Skip = "skip";
    public const string Outcome = "outcome";
}

internal sealed class DialerSessionConfiguration() : TenantTableConfiguration<DialerSession>("dialer_sessions")
{
    protected override void Map(EntityTypeBuilder<DialerSession> e) => e.Property(s => s.Version).IsConcurrencyToken();
}

internal sealed class DialerSessionLeadConfiguration : IEntityTypeConfiguration<DialerSessionLead>
{
    public void Configure(EntityTypeBuilder<DialerSessionLead> e)
    {
        e.ToTable("dialer_session_leads");
        e.HasKey(h => new { h.TenantId, h.SessionId, h.LeadId });
    }
}

public sealed record DialerSessionStats(int Calls, int Connected, int Outcomes, int Skipped);

public sealed record DialerSessionDto(
    Guid Id, Guid QueueId, DateTimeOffset StartedAt, DateTimeOffset LastActiveAt, DateTimeOffset? EndedAt, Guid? CurrentLeadId,
    DialerSessionStats Stats, int Version, int? AutoDialSeconds = null, bool AutoDialPaused = false)
{
    public bool IsOpen => EndedAt is null;

    public static DialerSessionDto Of(DialerSession s) => new(
        s.Id, s.QueueId, s.StartedAt, s.LastActiveAt, s.EndedAt, s.CurrentLeadId, new DialerSessionStats(s.Calls, s.Connected, s.Outcomes, s.Skipped), s.Version,
        s.AutoDialSeconds, s.AutoDialPaused);
}

/// <summary>The session, and whether opening its queue resumed it rather than starting it.</summary>
public sealed record OpenedDialerSession(DialerSessionDto Session, bool Resumed);

/// <summary>
/// What the session works on now: a call of the agent's still waiting for its outcome (the wrap-up guard), else the
/// session's current lead; no lead when the queue is done or none of its leads may be called now. Skipped counts the
/// leads the compliance guard would block now; Next says when the first of them may be called (only without a lead).
/// </summary>
public sealed record DialerTurn(Guid? LeadId, Call? PendingCall, int Remaining, DialerSkips Skipped, NextCallable? Next = null);
