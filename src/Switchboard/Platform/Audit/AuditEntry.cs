namespace Switchboard.Platform.Audit;

/// <summary>
/// One audit row. Append-only: the database grants the application insert and select only. Its place in its tenant's
/// hash chain is an <see cref="AuditChainLink"/>, written by the database when the row's transaction commits (ADR 0041).
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
}

/// <summary>
/// An audit row's place in its chain (table audit_chain): its number, the hash of the row before and its own hash
/// over the canonical form (<see cref="AuditCanonical"/>). <see cref="ChainId"/> is the tenant's id, or
/// <see cref="AuditChainLink.PlatformChain"/> for platform rows. Written only by the database's seal; read-only here.
/// </summary>
public sealed class AuditChainLink
{
    /// <summary>The chain of platform rows (audit rows without a tenant).</summary>
    public static readonly Guid PlatformChain = Guid.Empty;

    public Guid ChainId { get; init; }
    public long Seq { get; init; }
    public Guid AuditId { get; init; }
    public byte[]? PrevHash { get; init; }
    public byte[] RowHash { get; init; } = [];

    public static Guid ChainOf(Guid? tenantId) => tenantId ?? PlatformChain;
}

/// <summary>
/// An audit row that committed while its chain's lock was busy and waits to be sealed (ADR 0049): by the chain's next
/// seal, or the sweep (<see cref="AuditBacklogSweep"/>). Written and emptied only by the database; read-only here.
/// </summary>
public sealed class AuditBacklogEntry
{
    public long Id { get; init; }
    public Guid ChainId { get; init; }
    public Guid AuditId { get; init; }
}
