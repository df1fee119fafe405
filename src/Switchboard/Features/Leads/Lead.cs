namespace Switchboard.Features.Leads;

public sealed class Lead : OwnedRecord
{
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    public string? Company { get; set; }
    public string? Title { get; set; }
    public string? LinkedinUrl { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public LeadStatus Status { get; set; } = LeadStatus.New;
    public string? Source { get; set; }
    public string? Notes { get; set; }

    /// <summary>The lead's IANA time zone when known; calling hours otherwise go by the number.</summary>
    public string? TimeZone { get; set; }
    public bool DoNotCall { get; set; }
    public DateTimeOffset? LastCalledAt { get; set; }

    /// <summary>A scheduled callback: the lead returns to the dialer queue at this instant.</summary>
    public DateTimeOffset? CallbackAt { get; set; }

    /// <summary>The record's id in the system it was imported from; an import match key, unique per tenant.</summary>
    public string? ExternalId { get; set; }

    /// <summary>When the lead was converted, and the records it became (they keep its notes, activities and calls visible).</summary>
    public DateTimeOffset? ConvertedAt { get; set; }
    public Guid? ConvertedAccountId { get; set; }
    public Guid? ConvertedContactId { get; set; }
    public Guid? ConvertedOpportunityId { get; set; }

    public override string AuditEntityType => "lead";
}

public enum LeadStatus
{
    New,
    Contacted,
    Qualified,
    Unqualified,
    Converted,
}
