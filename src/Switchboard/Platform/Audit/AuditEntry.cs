namespace Switchboard.Platform.Audit;

/// <summary>
/// One audit row. Append-only: the database grants the application insert and select only. <see cref="Seq"/>,
/// <see cref="PrevHash"/> and <see cref="RowHash"/> are the row's place in its tenant's hash chain, set by the
/// database when the row is inserted (ADR 0038): EF never sends them (whatever a writer sends is overwritten anyway)
/// and does not read them back, so they hold values only on rows read from the database.
/// </summary>
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
    public long Seq { get; set; }
    public byte[]? PrevHash { get; set; }
    public byte[] RowHash { get; set; } = null!;
}
