using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Platform;

namespace Switchboard.Features.Sequences;

/// <summary>A sequence (cadence, ADR 0060): ordered steps, the mailbox its emails go from, a sending window, stop statuses.</summary>
public sealed class Sequence : AuditedRow
{
    public required string Name { get; set; }
    public Guid? MailboxId { get; set; }
    public bool IsActive { get; set; } = true;
    public JsonDocument Steps { get; set; } = JsonDocument.Parse("[]");
    public int[] WindowDays { get; set; } = [1, 2, 3, 4, 5];
    public TimeOnly WindowFrom { get; set; } = new(9, 0);
    public TimeOnly WindowTo { get; set; } = new(17, 0);
    public string[] StopStatuses { get; set; } = [];
    public Guid? CreatedBy { get; set; }

    public override string AuditEntityType => "sequence";

    public IReadOnlyList<SequenceStep> StepList => SequenceStep.Read(Steps);

    public BusinessWindow Window => new(WindowDays.Select(d => (DayOfWeek)d).ToHashSet(), WindowFrom, WindowTo);
}

/// <summary>One person's way through a sequence; see sequence_enrolments in 0044_sequences.sql.</summary>
public sealed class SequenceEnrolment : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public Guid SequenceId { get; set; }
    public required string RelatedType { get; set; }
    public Guid RelatedId { get; set; }
    public string? Email { get; set; }
    public Guid? AssigneeId { get; set; }
    public string Status { get; set; } = EnrolmentStatuses.Active;
    public int StepIndex { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public Guid? AwaitingEmailId { get; set; }
    public Guid? EnrolledBy { get; set; }
    public DateTimeOffset EnrolledAt { get; set; }
    public string? StopReason { get; set; }
    public string? StopDetail { get; set; }
    public string? StopEvidenceId { get; set; }
    public DateTimeOffset? StoppedAt { get; set; }
    public Guid? StoppedBy { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? LastError { get; set; }
    public string? LockedBy { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsOpen => Status is EnrolmentStatuses.Active or EnrolmentStatuses.Paused;
}

/// <summary>What one executed step did (once per enrolment and step: the primary key guards against a second run).</summary>
public sealed class SequenceStepRun : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid EnrolmentId { get; set; }
    public int StepIndex { get; set; }
    public required string Kind { get; set; }
    public Guid? EvidenceId { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset RanAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

public static class EnrolmentStatuses
{
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Stopped = "stopped";
    public const string Completed = "completed";
}

public static class StopReasons
{
    public const string Replied = "replied";
    public const string CallConnected = "call_connected";
    public const string Unsubscribed = "unsubscribed";
    public const string Bounced = "bounced";
    public const string StatusChanged = "status_changed";
    public const string EmailFailed = "email_failed";
    public const string Manual = "manual";

    public static string Describe(string? reason) => reason switch
    {
        Replied => "Replied",
        CallConnected => "Call connected",
        Unsubscribed => "Unsubscribed",
        Bounced => "Email bounced",
        StatusChanged => "Status changed",
        EmailFailed => "Email could not be sent",
        Manual => "Stopped by hand",
        _ => "",
    };
}

internal sealed class SequenceConfiguration() : TenantTableConfiguration<Sequence>("sequences")
{
    protected override void Map(EntityTypeBuilder<Sequence> e)
    {
        e.Property(s => s.Steps).HasColumnType("jsonb");
        e.Ignore(s => s.StepList);
        e.Ignore(s => s.Window);
    }
}

internal sealed class SequenceEnrolmentConfiguration : IEntityTypeConfiguration<SequenceEnrolment>
{
    public void Configure(EntityTypeBuilder<SequenceEnrolment> e)
    {
        e.ToTable("sequence_enrolments").HasKey(x => new { x.TenantId, x.Id });
        e.Ignore(x => x.IsOpen);
        e.HasOne<Sequence>().WithMany().HasForeignKey(x => new { x.TenantId, x.SequenceId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SequenceStepRunConfiguration : IEntityTypeConfiguration<SequenceStepRun>
{
    public void Configure(EntityTypeBuilder<SequenceStepRun> e)
    {
        e.ToTable("sequence_step_runs").HasKey(x => new { x.TenantId, x.EnrolmentId, x.StepIndex });
        e.HasOne<SequenceEnrolment>().WithMany().HasForeignKey(x => new { x.TenantId, x.EnrolmentId }).OnDelete(DeleteBehavior.Cascade);
    }
}

