namespace Switchboard.Platform.Jobs;

/// <summary>A durable unit of background work. Platform-level: the worker enters <see cref="TenantId"/> to run it.</summary>
public sealed class Job
{
    public Guid Id { get; set; }
    public Guid? TenantId { get; set; }
    public required string Kind { get; set; }
    public required JsonDocument Payload { get; set; }
    public string? IdempotencyKey { get; set; }
    public DateTimeOffset RunAt { get; set; }
    public int Attempts { get; set; }
    public int MaxAttempts { get; set; } = 5;
    public string? LockedBy { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<Job> e) => e.ToTable("jobs");
}
