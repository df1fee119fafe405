using Switchboard.Features.Imports;

namespace Switchboard.Features.Leads;

/// <summary>What a CSV import can write into leads: the fields, their synonyms and SQL, and the match keys.</summary>
public static class LeadImport
{
    /// <summary>
    /// Lead statuses of the usual CRM exports (HubSpot's lead status, Salesforce's and Pipedrive's), suggested in an
    /// import's value mapping. "Converted" has no synonym: only a conversion makes a lead converted.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> StatusSynonyms = new Dictionary<string, IReadOnlyList<string>>
    {
        ["new"] = ["open", "open - not contacted", "not contacted", "not started", "fresh", "untouched", "raw", "to do"],
        ["contacted"] = ["in progress", "attempted to contact", "attempted", "connected", "working", "working - contacted", "bad timing",
            "contact attempted", "called", "left voicemail", "voicemail", "no answer", "follow up", "follow-up", "nurturing", "nurture", "engaged"],
        ["qualified"] = ["open deal", "sales qualified", "sales qualified lead", "sql", "marketing qualified", "marketing qualified lead", "mql",
            "interested", "opportunity", "hot"],
        ["unqualified"] = ["disqualified", "not qualified", "closed - not converted", "not interested", "bad fit", "junk", "dead", "lost",
            "do not contact", "invalid"],
    };


    public static readonly ImportTarget Target = new("lead", "leads",
    [
        ImportFields.FirstName,
        ImportFields.LastName,
        new("company", "Company", "company", ImportFieldKind.Text, 200, Synonyms: ["companyname", "organization", "organisation", "business", "account", "accountname"]),
        ImportFields.JobTitle,
        new("linkedinUrl", "LinkedIn URL", "linkedin_url", ImportFieldKind.HttpsUrl, 500, Synonyms: ["linkedin", "linkedinprofile", "linkedinurl", "profileurl"]),
        new("email", "Email", "email", ImportFieldKind.Email, 254, Synonyms: ["emailaddress", "mail", "workemail"]),
        new("phone", "Phone", "phone", ImportFieldKind.Phone, Synonyms: ["phonenumber", "telephone", "tel", "mobile", "mobilephone", "cell", "workphone"]),
        new("status", "Status", "status", ImportFieldKind.Choice, Options: ["new", "contacted", "qualified", "unqualified"], Synonyms: ["leadstatus"], Insert: "coalesce({v}, 'new')",
            ValueSynonyms: StatusSynonyms),
        new("source", "Source", "source", ImportFieldKind.Text, 100, Synonyms: ["leadsource"]),
        new("notes", "Notes", "notes", ImportFieldKind.Text, 10_000, Synonyms: ["note", "comments", "comment", "description"]),
        ImportFields.Owner,
        new("timeZone", "Time zone", "time_zone", ImportFieldKind.TimeZone, Synonyms: ["tz"]),
        new("doNotCall", "Do not call", "do_not_call", ImportFieldKind.Boolean, Synonyms: ["dnc"]),
        ImportFields.ExternalId,
    ],
    [
        new("email", "email", "select distinct on (email) email as key, id from leads where email is not null order by email, created_at, id"),
        new("phone", "phone", "select distinct on (phone) phone as key, id from leads where phone is not null order by phone, created_at, id"),
        ImportFields.ExternalIdKey("leads"),
    ], "email", UndoKeepsIfReferenced: "select 1 from calls k where k.lead_id = t.id");
}
