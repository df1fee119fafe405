using Switchboard.Features.CustomFields;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Leads;

/// <summary>The lead list's fields: what can be filtered, shown and exported.</summary>
public static class LeadList
{
    public static readonly IReadOnlyList<string> DefaultColumns = ["company", "status", "ownerId", "phone", "createdAt"];

    public static ListCatalogue<Lead, LeadDto> Catalogue(CustomFieldSet custom)
    {
        static string Name(LeadDto l) => $"{l.FirstName} {l.LastName}".Trim();
        var standard = RecordFields.Then<Lead, LeadDto>(
        [
            Fields<Lead, LeadDto>.Text("name", "Name", l => l.FirstName + " " + l.LastName, Name),
            Fields<Lead, LeadDto>.Text("firstName", "First name", l => l.FirstName, l => l.FirstName),
            Fields<Lead, LeadDto>.Text("lastName", "Last name", l => l.LastName, l => l.LastName),
            Fields<Lead, LeadDto>.Text("company", "Company", l => l.Company, l => l.Company),
            Fields<Lead, LeadDto>.Text("title", "Title", l => l.Title, l => l.Title),
            Fields<Lead, LeadDto>.Text("linkedinUrl", "LinkedIn URL", l => l.LinkedinUrl, l => l.LinkedinUrl),
            Fields<Lead, LeadDto>.Text("email", "Email", l => l.Email, l => l.Email),
            Fields<Lead, LeadDto>.Phone("phone", "Phone", l => l.Phone, l => l.Phone),
            Fields<Lead, LeadDto>.Of("status", "Status", FieldKind.Enum, l => l.Status, l => l.Status, LeadStatuses.All),
            Fields<Lead, LeadDto>.Text("source", "Source", l => l.Source, l => l.Source),
            Fields<Lead, LeadDto>.Of("ownerId", "Owner", FieldKind.Owner, l => l.OwnerId, l => l.OwnerId),
            Fields<Lead, LeadDto>.Text("notes", "Notes", l => l.Notes, l => l.Notes),
            Fields<Lead, LeadDto>.Text("timeZone", "Time zone", l => l.TimeZone, l => l.TimeZone),
            Fields<Lead, LeadDto>.Of("doNotCall", "Do not call", FieldKind.Boolean, l => l.DoNotCall, l => l.DoNotCall),
            Fields<Lead, LeadDto>.Of("lastCalledAt", "Last called", FieldKind.DateTime, l => l.LastCalledAt, l => l.LastCalledAt),
            Fields<Lead, LeadDto>.Of("callbackAt", "Callback", FieldKind.DateTime, l => l.CallbackAt, l => l.CallbackAt),
        ]);
        return new ListCatalogue<Lead, LeadDto>(CustomFieldEntities.Lead, standard, DefaultColumns, custom, l => l.Custom, l => l.Custom, LeadSorts.Own);
    }
}
