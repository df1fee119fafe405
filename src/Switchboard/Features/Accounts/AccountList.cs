using Switchboard.Features.CustomFields;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Accounts;

public static class AccountList
{
    public static readonly IReadOnlyList<string> DefaultColumns = ["industry", "ownerId", "phone", "updatedAt"];

    public static ListCatalogue<Account, AccountDto> Catalogue(CustomFieldSet custom)
    {
        var standard = RecordFields.Then<Account, AccountDto>(
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
        ]);
        return new ListCatalogue<Account, AccountDto>(CustomFieldEntities.Account, standard, DefaultColumns, custom, a => a.Custom, a => a.Custom, CrmSearch.Sorts);
    }
}
