using System.Text.Json;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Leads;
using Switchboard.Ui.Forms;

namespace Switchboard.Features.Leads;

/// <summary>The lead form's fields as posted; becomes the JSON body the lead service takes.</summary>
public sealed class LeadForm
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

    /// <summary>Posted custom field inputs by key; read from the form by <see cref="LeadFormPage"/>, not model-bound.</summary>
    public Dictionary<string, string[]> Custom { get; set; } = new(StringComparer.Ordinal);

    public static LeadForm From(LeadDto lead) => new()
    {
        FirstName = lead.FirstName, LastName = lead.LastName, Company = lead.Company, Title = lead.Title, LinkedinUrl = lead.LinkedinUrl,
        Email = lead.Email, Phone = lead.Phone, Status = lead.Status, Source = lead.Source,
        OwnerId = lead.OwnerId, Notes = lead.Notes, Version = lead.Version, Custom = CustomFieldForm.FromJson(lead.Custom),
    };

    /// <summary>Only what this user may change: the owner only for roles that assign, the version only on edit.</summary>
    public JsonElement ToJson(bool includeOwner, bool includeVersion, CustomFieldSet? customFields = null)
    {
        var body = new Dictionary<string, object?>
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
        if (includeOwner) body["ownerId"] = OwnerId;
        if (includeVersion) body["version"] = Version;
        if (customFields is not null && customFields.Active.Any()) body["custom"] = CustomFieldForm.ToJson(customFields, Custom);
        return JsonSerializer.SerializeToElement(body);
    }
}
