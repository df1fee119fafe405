namespace Switchboard.Features.Imports;

public enum ImportFieldKind { Text, Email, Phone, Choice, Boolean, TimeZone, Owner, Domain, Country, Account }

/// <summary>
/// A field a CSV column can be imported into. <see cref="Insert"/> and <see cref="Update"/> are SQL templates for
/// the merge: <c>{v}</c> is the staged value (text, null when the cell was blank) and <c>{c}</c> the column's
/// current value; a blank cell never overwrites a stored value.
/// </summary>
public sealed record ImportField(
    string Name, string Label, string Column, ImportFieldKind Kind, int MaxLength = 200,
    IReadOnlyList<string>? Options = null, IReadOnlyList<string>? Synonyms = null, bool RequiredOnCreate = false,
    string? Insert = null, string? Update = null)
{
    public string InsertSql => Insert ?? Kind switch
    {
        ImportFieldKind.Boolean => "coalesce({v}::boolean, false)",
        ImportFieldKind.Owner or ImportFieldKind.Account => "{v}::uuid",
        _ => "{v}",
    };

    public string UpdateSql => Update ?? Kind switch
    {
        ImportFieldKind.Boolean => "coalesce({v}::boolean, {c})",
        ImportFieldKind.Owner or ImportFieldKind.Account => "coalesce({v}::uuid, {c})",
        _ => "coalesce({v}, {c})",
    };
}

/// <summary>
/// A match key: how a row finds the record it duplicates. <see cref="Existing"/> lists the target's (key, id) pairs,
/// the oldest record first, under row-level security like every other read.
/// </summary>
public sealed record ImportMatchKey(string Name, string Field, string Existing);

/// <summary>An entity CSV files can be imported into: its table, importable fields and match keys.</summary>
public sealed record ImportTarget(string Entity, string Table, IReadOnlyList<ImportField> Fields, IReadOnlyList<ImportMatchKey> MatchKeys,
    string DefaultMatchKey)
{
    public int IndexOf(string field)
    {
        for (var i = 0; i < Fields.Count; i++)
            if (Fields[i].Name == field) return i;
        return -1;
    }

    public ImportField? Find(string field) => Fields.FirstOrDefault(f => f.Name == field);

    public ImportMatchKey? Key(string name) => MatchKeys.FirstOrDefault(k => k.Name == name);
}

public static class ImportTargets
{
    public const string Lead = "lead";
    public const string Contact = "contact";
    public const string Account = "account";

    /// <summary>The entity names the API takes (<c>leads|contacts|accounts</c>), to the target.</summary>
    public static ImportTarget? FromApiName(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "leads" or "lead" => Leads,
        "contacts" or "contact" => Contacts,
        "accounts" or "account" => Accounts,
        _ => null,
    };

    public static ImportTarget ForEntity(string entity) => entity switch
    {
        Lead => Leads,
        Contact => Contacts,
        Account => Accounts,
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, "Not an importable entity."),
    };

    private static readonly ImportField Owner = new("owner", "Owner (email)", "owner_id", ImportFieldKind.Owner,
        Synonyms: ["owneremail", "assignedto", "salesrep", "rep", "ownedby"]);

    private static readonly ImportField ExternalId = new("externalId", "External id", "external_id", ImportFieldKind.Text,
        Synonyms: ["id", "recordid", "crmid", "sourceid"]);

    public static readonly ImportTarget Leads = new(Lead, "leads",
    [
        new("firstName", "First name", "first_name", ImportFieldKind.Text, 100, Synonyms: ["first", "givenname", "fname", "forename"], Insert: "coalesce({v}, '')"),
        new("lastName", "Last name", "last_name", ImportFieldKind.Text, 100, Synonyms: ["last", "surname", "familyname", "lname"], RequiredOnCreate: true),
        new("company", "Company", "company", ImportFieldKind.Text, 200, Synonyms: ["companyname", "organization", "organisation", "business", "account", "accountname"]),
        new("title", "Title", "title", ImportFieldKind.Text, 200, Synonyms: ["jobtitle", "position"]),
        new("email", "Email", "email", ImportFieldKind.Email, 254, Synonyms: ["emailaddress", "mail", "workemail"]),
        new("phone", "Phone", "phone", ImportFieldKind.Phone, Synonyms: ["phonenumber", "telephone", "tel", "mobile", "mobilephone", "cell", "workphone"]),
        new("status", "Status", "status", ImportFieldKind.Choice, Options: ["new", "contacted", "qualified", "unqualified"], Synonyms: ["leadstatus"], Insert: "coalesce({v}, 'new')"),
        new("source", "Source", "source", ImportFieldKind.Text, 100, Synonyms: ["leadsource"]),
        new("notes", "Notes", "notes", ImportFieldKind.Text, 10_000, Synonyms: ["note", "comments", "comment", "description"]),
        Owner,
        new("timeZone", "Time zone", "time_zone", ImportFieldKind.TimeZone, Synonyms: ["tz"]),
        new("doNotCall", "Do not call", "do_not_call", ImportFieldKind.Boolean, Synonyms: ["dnc"]),
        ExternalId,
    ],
    [
        new("email", "email", "select distinct on (email) email as key, id from leads where email is not null order by email, created_at, id"),
        new("phone", "phone", "select distinct on (phone) phone as key, id from leads where phone is not null order by phone, created_at, id"),
        new("externalId", "externalId", "select external_id as key, id from leads where external_id is not null"),
    ], "email");

    public static readonly ImportTarget Contacts = new(Contact, "contacts",
    [
        new("firstName", "First name", "first_name", ImportFieldKind.Text, 100, Synonyms: ["first", "givenname", "fname", "forename"], Insert: "coalesce({v}, '')"),
        new("lastName", "Last name", "last_name", ImportFieldKind.Text, 100, Synonyms: ["last", "surname", "familyname", "lname"], RequiredOnCreate: true),
        new("title", "Title", "title", ImportFieldKind.Text, 200, Synonyms: ["jobtitle", "position"]),
        new("email", "Email", "emails", ImportFieldKind.Email, 254, Synonyms: ["emailaddress", "mail", "workemail"],
            Insert: "case when {v} is null then '{}'::text[] else array[{v}] end",
            Update: "case when {v} is null or {v} = any({c}) then {c} else {c} || {v} end"),
        new("phone", "Phone", "phones", ImportFieldKind.Phone, Synonyms: ["phonenumber", "telephone", "tel", "mobile", "mobilephone", "cell", "workphone"],
            Insert: "case when {v} is null then '{}'::text[] else array[{v}] end",
            Update: "case when {v} is null or {v} = any({c}) then {c} else {c} || {v} end"),
        new("account", "Account (name or external id)", "account_id", ImportFieldKind.Account, Synonyms: ["accountname", "company", "companyname", "organization", "organisation"]),
        Owner,
        ExternalId,
    ],
    [
        new("email", "email", "select distinct on (e) e as key, id from contacts, unnest(emails) e order by e, created_at, id"),
        new("phone", "phone", "select distinct on (p) p as key, id from contacts, unnest(phones) p order by p, created_at, id"),
        new("externalId", "externalId", "select external_id as key, id from contacts where external_id is not null"),
    ], "email");

    public static readonly ImportTarget Accounts = new(Account, "accounts",
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
        Owner,
        ExternalId,
    ],
    [
        new("domain", "domain", "select distinct on (domain) domain as key, id from accounts where domain is not null order by domain, created_at, id"),
        new("phone", "phone", "select distinct on (phone) phone as key, id from accounts where phone is not null order by phone, created_at, id"),
        new("externalId", "externalId", "select external_id as key, id from accounts where external_id is not null"),
    ], "domain");
}
