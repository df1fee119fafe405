using Switchboard.Features.CustomFields;
using Switchboard.Features.Leads;
using Switchboard.Ui.Forms;

namespace Switchboard.Features.Leads;

/// <summary>The lead form's fields as posted; becomes the JSON body the lead service takes.</summary>
public sealed class LeadForm : ICrmForm
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

    public Dictionary<string, object?> Body() => new()
    {
        ["firstName"] = FirstName ?? "",
        ["lastName"] = LastName ?? "",
        ["company"] = Company,
        ["title"] = Title,
        ["linkedinUrl"] = string.IsNullOrWhiteSpace(LinkedinUrl) ? null : LinkedinUrl.Trim(),
        ["email"] = Email,
        ["phone"] = Phone,
        ["status"] = Status,
        ["source"] = Source,
        ["notes"] = Notes,
    };
}
