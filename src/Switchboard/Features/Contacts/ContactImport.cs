using Switchboard.Features.Imports;

namespace Switchboard.Features.Contacts;

/// <summary>What a CSV import can write into contacts: the fields, their synonyms and SQL, and the match keys.</summary>
public static class ContactImport
{
    public static readonly ImportTarget Target = new("contact", "contacts",
    [
        ImportFields.FirstName,
        ImportFields.LastName,
        ImportFields.JobTitle,
        new("email", "Email", "emails", ImportFieldKind.Email, 254, Synonyms: ["emailaddress", "mail", "workemail"],
            Insert: "case when {v} is null then '{}'::text[] else array[{v}] end",
            Update: "case when {v} is null or {v} = any({c}) then {c} else {c} || {v} end"),
        new("phone", "Phone", "phones", ImportFieldKind.Phone, Synonyms: ["phonenumber", "telephone", "tel", "mobile", "mobilephone", "cell", "workphone"],
            Insert: "case when {v} is null then '{}'::text[] else array[{v}] end",
            Update: "case when {v} is null or {v} = any({c}) then {c} else {c} || {v} end"),
        new("account", "Account (name or external id)", "account_id", ImportFieldKind.Account, Synonyms: ["accountname", "company", "companyname", "organization", "organisation"]),
        ImportFields.Owner,
        ImportFields.ExternalId,
    ],
    [
        new("email", "email", "select distinct on (e) e as key, id from contacts, unnest(emails) e order by e, created_at, id"),
        new("phone", "phone", "select distinct on (p) p as key, id from contacts, unnest(phones) p order by p, created_at, id"),
        ImportFields.ExternalIdKey("contacts"),
    ], "email");
}
