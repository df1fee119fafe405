namespace Switchboard.Platform.Audit;

/// <summary>One audit row. Append-only: the database grants the application insert and select only.</summary>
public sealed class AuditEntry
{
    public Guid Id { get; set; }
    public Guid? TenantId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public required string ActorType { get; set; }
    public Guid? ActorId { get; set; }
    public string? ActorName { get; set; }
    public required string Action { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    public JsonDocument? Changes { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
}
