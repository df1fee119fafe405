using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Accounts;

namespace Switchboard.Features.Contacts;

/// <summary>A person, usually at an account. The first email and the first phone are the primary ones.</summary>
public sealed class Contact : OwnedRecord
{
    public string FirstName { get; set; } = "";
    public required string LastName { get; set; }
    public string? Title { get; set; }
    public List<string> Emails { get; set; } = [];
    public List<string> Phones { get; set; } = [];
    public Guid? AccountId { get; set; }

    /// <summary>The record's id in the system it was imported from; an import match key, unique per tenant.</summary>
    public string? ExternalId { get; set; }

    public override string AuditEntityType => "contact";
}

internal sealed class ContactConfiguration() : TenantTableConfiguration<Contact>("contacts")
{
    protected override void Map(EntityTypeBuilder<Contact> e)
    {
        Search.SearchColumns.Map(e, "contact_search_text(first_name, last_name, emails)", phones: "phones_text(phones)");
    }
}
