using Switchboard.Features.CustomFields;
using Switchboard.Features.Accounts;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Contacts;

public static class ContactList
{
    public static readonly IReadOnlyList<string> DefaultColumns = ["title", "ownerId", "phone", "updatedAt"];

    public static ListCatalogue<Contact, ContactDto> Catalogue(CustomFieldSet custom)
    {
        static string Name(ContactDto c) => $"{c.FirstName} {c.LastName}".Trim();
        var standard = RecordFields.Then<Contact, ContactDto>(
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
        ]);
        return new ListCatalogue<Contact, ContactDto>(CustomFieldEntities.Contact, standard, DefaultColumns, custom, c => c.Custom, c => c.Custom, CrmSearch.Sorts);
    }
}
