using Switchboard.Features.Imports;

namespace Switchboard.Features.Accounts;

/// <summary>What a CSV import can write into accounts: the fields, their synonyms and SQL, and the match keys.</summary>
public static class AccountImport
{
    public static readonly ImportTarget Target = new("account", "accounts",
    [
        new("name", "Name", "name", ImportFieldKind.Text, 200, Synonyms: ["accountname", "company", "companyname", "organization", "organisation"], RequiredOnCreate: true),
        new("domain", "Domain", "domain", ImportFieldKind.Domain, 253, Synonyms: ["website", "web", "url", "site"]),
        new("industry", "Industry", "industry", ImportFieldKind.Text, 100, Synonyms: ["sector"]),
        new("size", "Size", "size", ImportFieldKind.Choice, Options: ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"], Synonyms: ["employees", "companysize", "headcount"]),
        new("phone", "Phone", "phone", ImportFieldKind.Phone, Synonyms: ["phonenumber", "telephone", "tel", "mainphone"]),
        new("street", "Street", "street", ImportFieldKind.Text, 200, Synonyms: ["address", "address1", "streetaddress"]),
        new("city", "City", "city", ImportFieldKind.Text, 100, Synonyms: ["town"]),
        new("region", "Region", "region", ImportFieldKind.Text, 100, Synonyms: ["state", "province", "county"]),
        new("postalCode", "Postal code", "postal_code", ImportFieldKind.Text, 20, Synonyms: ["zip", "zipcode", "postcode"]),
        new("country", "Country (ISO code)", "country", ImportFieldKind.Country, Synonyms: ["countrycode"]),
        ImportFields.Owner,
        ImportFields.ExternalId,
    ],
    [
        new("domain", "domain", "select distinct on (domain) domain as key, id from accounts where domain is not null order by domain, created_at, id"),
        new("phone", "phone", "select distinct on (phone) phone as key, id from accounts where phone is not null order by phone, created_at, id"),
        ImportFields.ExternalIdKey("accounts"),
    ], "domain");
}
