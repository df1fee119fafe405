namespace Switchboard.Platform.Identity;

public sealed class TenantMembership : ITenantOwned, IAudited, IStamped
{
    public Guid TenantId { get; set; }
    public Guid UserId { get; set; }
    public required string Role { get; set; }
    public bool IsActive { get; set; } = true;

    /// <summary>The member's own phone (E.164): click-to-call rings it first, then dials the lead.</summary>
    public string? Phone { get; set; }
    public string? Department { get; set; }

    /// <summary>When the tenant's two-factor requirement first applied to this member: their grace period counts from here (ADR 0045).</summary>
    public DateTimeOffset? MfaRequiredSince { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public AppUser? User { get; set; }

    public string AuditEntityType => "membership";
    public string AuditEntityId => UserId.ToString();
}
