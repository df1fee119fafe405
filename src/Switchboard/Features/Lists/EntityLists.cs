using Switchboard.Features.Accounts;
using Switchboard.Features.Contacts;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Leads;
using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Lists;

/// <summary>The lead list's fields: what can be filtered, shown and exported.</summary>
public static class LeadList
{
    public static readonly IReadOnlyList<string> DefaultColumns = ["company", "status", "ownerId", "phone", "createdAt"];

    public static ListCatalogue<Lead, LeadDto> Catalogue(CustomFieldSet custom)
    {
        static string Name(LeadDto l) => $"{l.FirstName} {l.LastName}".Trim();
        ListField<Lead, LeadDto>[] standard =
        [
            Fields<Lead, LeadDto>.Text("name", "Name", l => l.FirstName + " " + l.LastName, Name),
            Fields<Lead, LeadDto>.Text("firstName", "First name", l => l.FirstName, l => l.FirstName),
            Fields<Lead, LeadDto>.Text("lastName", "Last name", l => l.LastName, l => l.LastName),
            Fields<Lead, LeadDto>.Text("company", "Company", l => l.Company, l => l.Company),
            Fields<Lead, LeadDto>.Text("title", "Title", l => l.Title, l => l.Title),
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
            Fields<Lead, LeadDto>.Of("createdAt", "Created", FieldKind.DateTime, l => l.CreatedAt, l => l.CreatedAt),
            Fields<Lead, LeadDto>.Of("updatedAt", "Updated", FieldKind.DateTime, l => l.UpdatedAt, l => l.UpdatedAt),
            Fields<Lead, LeadDto>.Of("id", "Id", FieldKind.Reference, l => l.Id, l => l.Id),
        ];
        return new ListCatalogue<Lead, LeadDto>(CustomFieldEntities.Lead, standard, DefaultColumns, custom, l => l.Custom, l => l.Custom, LeadSorts.Own);
    }
}

public static class AccountList
{
    public static readonly IReadOnlyList<string> DefaultColumns = ["industry", "ownerId", "phone", "updatedAt"];

    public static ListCatalogue<Account, AccountDto> Catalogue(CustomFieldSet custom)
    {
        ListField<Account, AccountDto>[] standard =
        [
            Fields<Account, AccountDto>.Text("name", "Name", a => a.Name, a => a.Name),
            Fields<Account, AccountDto>.Text("domain", "Domain", a => a.Domain, a => a.Domain),
            Fields<Account, AccountDto>.Text("industry", "Industry", a => a.Industry, a => a.Industry),
            Fields<Account, AccountDto>.Of("size", "Size", FieldKind.Enum, a => a.Size, a => a.Size, AccountSizes.All),
            Fields<Account, AccountDto>.Phone("phone", "Phone", a => a.Phone, a => a.Phone),
            Fields<Account, AccountDto>.Text("street", "Street", a => a.Street, a => a.Street),
            Fields<Account, AccountDto>.Text("city", "City", a => a.City, a => a.City),
            Fields<Account, AccountDto>.Text("region", "Region", a => a.Region, a => a.Region),
            Fields<Account, AccountDto>.Text("postalCode", "Postal code", a => a.PostalCode, a => a.PostalCode),
            Fields<Account, AccountDto>.Text("country", "Country", a => a.Country, a => a.Country),
            Fields<Account, AccountDto>.Of("ownerId", "Owner", FieldKind.Owner, a => a.OwnerId, a => a.OwnerId),
            Fields<Account, AccountDto>.Of("createdAt", "Created", FieldKind.DateTime, a => a.CreatedAt, a => a.CreatedAt),
            Fields<Account, AccountDto>.Of("updatedAt", "Updated", FieldKind.DateTime, a => a.UpdatedAt, a => a.UpdatedAt),
            Fields<Account, AccountDto>.Of("id", "Id", FieldKind.Reference, a => a.Id, a => a.Id),
        ];
        return new ListCatalogue<Account, AccountDto>(CustomFieldEntities.Account, standard, DefaultColumns, custom, a => a.Custom, a => a.Custom, CrmSearch.Sorts);
    }
}

public static class ContactList
{
    public static readonly IReadOnlyList<string> DefaultColumns = ["title", "ownerId", "phone", "updatedAt"];

    public static ListCatalogue<Contact, ContactDto> Catalogue(CustomFieldSet custom)
    {
        static string Name(ContactDto c) => $"{c.FirstName} {c.LastName}".Trim();
        ListField<Contact, ContactDto>[] standard =
        [
            Fields<Contact, ContactDto>.Text("name", "Name", c => c.FirstName + " " + c.LastName, Name),
            Fields<Contact, ContactDto>.Text("firstName", "First name", c => c.FirstName, c => c.FirstName),
            Fields<Contact, ContactDto>.Text("lastName", "Last name", c => c.LastName, c => c.LastName),
            Fields<Contact, ContactDto>.Text("title", "Title", c => c.Title, c => c.Title),
            // Filters match any of a contact's emails and phones; the first, the primary one, is shown.
            Fields<Contact, ContactDto>.AnyOf("email", "Email", c => c.Emails, c => c.Emails.FirstOrDefault()),
            Fields<Contact, ContactDto>.AnyOf("phone", "Phone", c => c.Phones, c => c.Phones.FirstOrDefault(), isPhone: true),
            Fields<Contact, ContactDto>.Of("accountId", "Account", FieldKind.Reference, c => c.AccountId, c => c.AccountId),
            Fields<Contact, ContactDto>.Of("ownerId", "Owner", FieldKind.Owner, c => c.OwnerId, c => c.OwnerId),
            Fields<Contact, ContactDto>.Of("createdAt", "Created", FieldKind.DateTime, c => c.CreatedAt, c => c.CreatedAt),
            Fields<Contact, ContactDto>.Of("updatedAt", "Updated", FieldKind.DateTime, c => c.UpdatedAt, c => c.UpdatedAt),
            Fields<Contact, ContactDto>.Of("id", "Id", FieldKind.Reference, c => c.Id, c => c.Id),
        ];
        return new ListCatalogue<Contact, ContactDto>(CustomFieldEntities.Contact, standard, DefaultColumns, custom, c => c.Custom, c => c.Custom, CrmSearch.Sorts);
    }
}

public static class OpportunityList
{
    public static readonly IReadOnlyList<string> DefaultColumns = ["stageId", "amount", "probability", "expectedClose"];

    /// <param name="stages">The tenant's stages, for the status (the kind of the opportunity's stage).</param>
    public static ListCatalogue<Opportunity, OpportunityDto> Catalogue(CustomFieldSet custom, IQueryable<PipelineStage> stages)
    {
        ListField<Opportunity, OpportunityDto>[] standard =
        [
            Fields<Opportunity, OpportunityDto>.Text("name", "Name", o => o.Name, o => o.Name),
            Fields<Opportunity, OpportunityDto>.Of("amount", "Amount", FieldKind.Number, o => o.Amount, o => o.Amount),
            Fields<Opportunity, OpportunityDto>.Text("currency", "Currency", o => o.Currency, o => o.Currency),
            Fields<Opportunity, OpportunityDto>.Of("probability", "Probability", FieldKind.Number, o => o.Probability, o => o.Probability),
            Fields<Opportunity, OpportunityDto>.Of("expectedClose", "Expected close", FieldKind.Date, o => o.ExpectedClose, o => o.ExpectedClose),
            Fields<Opportunity, OpportunityDto>.Of("pipelineId", "Pipeline", FieldKind.Reference, o => o.PipelineId, o => o.PipelineId),
            Fields<Opportunity, OpportunityDto>.Of("stageId", "Stage", FieldKind.Reference, o => o.StageId, o => o.StageId),
            Fields<Opportunity, OpportunityDto>.Of("status", "Status", FieldKind.Enum,
                o => stages.Where(st => st.Id == o.StageId).Select(st => st.Kind).FirstOrDefault(), o => o.Status, StageKinds.All),
            Fields<Opportunity, OpportunityDto>.Of("accountId", "Account", FieldKind.Reference, o => o.AccountId, o => o.AccountId),
            Fields<Opportunity, OpportunityDto>.Of("contactId", "Contact", FieldKind.Reference, o => o.ContactId, o => o.ContactId),
            Fields<Opportunity, OpportunityDto>.Of("ownerId", "Owner", FieldKind.Owner, o => o.OwnerId, o => o.OwnerId),
            Fields<Opportunity, OpportunityDto>.Text("lostReason", "Lost reason", o => o.LostReason, o => o.LostReason),
            Fields<Opportunity, OpportunityDto>.Of("closedAt", "Closed", FieldKind.DateTime, o => o.ClosedAt, o => o.ClosedAt),
            Fields<Opportunity, OpportunityDto>.Of("createdAt", "Created", FieldKind.DateTime, o => o.CreatedAt, o => o.CreatedAt),
            Fields<Opportunity, OpportunityDto>.Of("updatedAt", "Updated", FieldKind.DateTime, o => o.UpdatedAt, o => o.UpdatedAt),
            Fields<Opportunity, OpportunityDto>.Of("id", "Id", FieldKind.Reference, o => o.Id, o => o.Id),
        ];
        return new ListCatalogue<Opportunity, OpportunityDto>(CustomFieldEntities.Opportunity, standard, DefaultColumns, custom, o => o.Custom, o => o.Custom, []);
    }
}
