using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Accounts;

namespace Switchboard.Features.Contacts;

/// <summary>A person, usually at an account. The first email and the first phone are the primary ones.</summary>
public sealed class Contact : IOwnedRecord
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public string FirstName { get; set; } = "";
    public required string LastName { get; set; }
    public string? Title { get; set; }
    public List<string> Emails { get; set; } = [];
    public List<string> Phones { get; set; } = [];
    public Guid? AccountId { get; set; }
    public Guid? OwnerId { get; set; }

    /// <summary>The record's id in the system it was imported from; an import match key, unique per tenant.</summary>
    public string? ExternalId { get; set; }

    /// <summary>Custom field values by key (see custom_fields).</summary>
    public JsonDocument Custom { get; set; } = JsonDocument.Parse("{}");
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;

    public string AuditEntityType => "contact";
    public string AuditEntityId => Id.ToString();
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> e)
    {
        e.ToTable("contacts");
        e.HasKey(c => new { c.TenantId, c.Id });
        e.Property(c => c.Custom).HasColumnType("jsonb");
        Search.SearchColumns.Map(e, "contact_search_text(first_name, last_name, emails)", phones: "phones_text(phones)");
    }
}
