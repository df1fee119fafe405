using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Calls;

namespace Switchboard.Features.Dialer;

/// <summary>
/// An agent working one of their queues (ADR 0017). Open while <see cref="EndedAt"/> is null; at most one open
/// session per agent and queue. <see cref="CurrentLeadId"/> or <see cref="CurrentContactId"/> (never both, ADR 0035)
/// is what every tab of the session shows.
/// </summary>
public sealed class DialerSession : TenantRow
{
    public Guid UserId { get; set; }
    public Guid QueueId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastActiveAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public Guid? CurrentLeadId { get; set; }
    public Guid? CurrentContactId { get; set; }
    public DateTimeOffset? CurrentSince { get; set; }
    public int Calls { get; set; }
    public int Connected { get; set; }
    public int Outcomes { get; set; }
    public int Skipped { get; set; }
    /// <summary>This session's countdown before auto-dialing the next lead; null = the tenant's (ADR 0032).</summary>
    public int? AutoDialSeconds { get; set; }
    public bool AutoDialPaused { get; set; }
    /// <summary>The countdown the server armed: this target (lead or contact) dials at <see cref="AutoDialAt"/> unless the agent pauses or cancels.</summary>
    public Guid? AutoDialTargetId { get; set; }
    public DateTimeOffset? AutoDialAt { get; set; }
    /// <summary>The target (lead or contact) a call was placed for: a second dial of it (another tab, a double click) is not placed.</summary>
    public Guid? DialedTargetId { get; set; }

    /// <summary>What the session shows now, if anything.</summary>
    public DialTarget? Current => DialTarget.Of(CurrentLeadId, CurrentContactId);
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

/// <summary>A contact the session is done with, as <see cref="DialerSessionLead"/> for a lead.</summary>
public sealed class DialerSessionContact : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid SessionId { get; set; }
    public Guid ContactId { get; set; }
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

internal sealed class DialerSessionContactConfiguration : IEntityTypeConfiguration<DialerSessionContact>
{
    public void Configure(EntityTypeBuilder<DialerSessionContact> e)
    {
        e.ToTable("dialer_session_contacts");
        e.HasKey(h => new { h.TenantId, h.SessionId, h.ContactId });
    }
}

public sealed record DialerSessionStats(int Calls, int Connected, int Outcomes, int Skipped);

/// <param name="CurrentLeadId">The lead the session shows, or null (also when it shows a contact).</param>
/// <param name="CurrentContactId">The contact the session shows, or null (also when it shows a lead).</param>
public sealed record DialerSessionDto(
    Guid Id, Guid QueueId, DateTimeOffset StartedAt, DateTimeOffset LastActiveAt, DateTimeOffset? EndedAt, Guid? CurrentLeadId,
    DialerSessionStats Stats, int Version, int? AutoDialSeconds = null, bool AutoDialPaused = false, Guid? CurrentContactId = null)
{
    public bool IsOpen => EndedAt is null;

    public static DialerSessionDto Of(DialerSession s) => new(
        s.Id, s.QueueId, s.StartedAt, s.LastActiveAt, s.EndedAt, s.CurrentLeadId, new DialerSessionStats(s.Calls, s.Connected, s.Outcomes, s.Skipped), s.Version,
        s.AutoDialSeconds, s.AutoDialPaused, s.CurrentContactId);
}

/// <summary>The session, and whether opening its queue resumed it rather than starting it.</summary>
public sealed record OpenedDialerSession(DialerSessionDto Session, bool Resumed);

/// <summary>
/// What the session works on now: a call of the agent's still waiting for its outcome (the wrap-up guard), else the
/// session's current lead or contact; no target when the queue is done or nothing in it may be called now. Skipped
/// counts the targets the compliance guard would block now; Next says when the first of them may be called (only
/// without a target).
/// </summary>
public sealed record DialerTurn(DialTarget? Target, Call? PendingCall, int Remaining, DialerSkips Skipped, NextCallable? Next = null)
{
    public Guid? LeadId => Target?.LeadId;
    public Guid? ContactId => Target?.ContactId;
}
