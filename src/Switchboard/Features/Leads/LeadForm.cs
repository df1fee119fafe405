using Switchboard.Features.CustomFields;

namespace Switchboard.Features.Leads;

/// <summary>The lead form's fields as posted; becomes the body the lead service takes, as the API would.</summary>
public sealed class LeadForm : ICrmForm<LeadWrite>
{
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Company { get; set; }
    public string? Title { get; set; }
    public string? LinkedinUrl { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Status { get; set; } = "new";
    public string? Source { get; set; }
    public Guid? OwnerId { get; set; }
    public string? Notes { get; set; }
    public int? Version { get; set; }

    public Dictionary<string, string[]> Custom { get; set; } = new(StringComparer.Ordinal);

    public static LeadForm From(LeadDto lead) => new()
    {
        FirstName = lead.FirstName, LastName = lead.LastName, Company = lead.Company, Title = lead.Title, LinkedinUrl = lead.LinkedinUrl,
        Email = lead.Email, Phone = lead.Phone, Status = lead.Status, Source = lead.Source,
        OwnerId = lead.OwnerId, Notes = lead.Notes, Version = lead.Version, Custom = CustomFieldForm.FromJson(lead.Custom),
    };

    public LeadWrite Body() => new()
    {
        FirstName = Optional.Text(FirstName), LastName = Optional.Text(LastName), Company = Optional.Text(Company),
        Title = Optional.Text(Title), LinkedinUrl = Optional.Text(LinkedinUrl), Email = Optional.Text(Email),
        Phone = Optional.Text(Phone), Status = Optional.Text(Status), Source = Optional.Text(Source), Notes = Optional.Text(Notes),
    };
}
