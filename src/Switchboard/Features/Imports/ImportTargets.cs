namespace Switchboard.Features.Imports;

public enum ImportFieldKind { Text, Email, Phone, Choice, Boolean, TimeZone, Owner, Domain, Country, Account, HttpsUrl }

/// <summary>
/// A field a CSV column can be imported into. <see cref="Insert"/> and <see cref="Update"/> are SQL templates for
/// the merge: <c>{v}</c> is the staged value (text, null when the cell was blank) and <c>{c}</c> the column's
/// current value; a blank cell never overwrites a stored value. <see cref="ValueSynonyms"/> (option → other names for
/// it, such as another CRM's statuses) feed the value mapping's suggestions for a choice field.
/// </summary>
public sealed record ImportField(
    string Name, string Label, string Column, ImportFieldKind Kind, int MaxLength = 200,
    IReadOnlyList<string>? Options = null, IReadOnlyList<string>? Synonyms = null, bool RequiredOnCreate = false,
    string? Insert = null, string? Update = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? ValueSynonyms = null)
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
/// <param name="UndoKeepsIfReferenced">SQL over the record <c>t</c>: undo keeps a created record this finds (besides notes and activities).</param>
public sealed record ImportTarget(string Entity, string Table, IReadOnlyList<ImportField> Fields, IReadOnlyList<ImportMatchKey> MatchKeys,
    string DefaultMatchKey, string? UndoKeepsIfReferenced = null)
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

/// <summary>The fields every importable record has.</summary>
public static class ImportFields
{
    /// <summary>The record's owner: a member's email or full name. Headers of the usual CRM exports ("Contact owner",
    /// "Lead owner", "Owner email") are suggested for it.</summary>
    public static readonly ImportField Owner = new("owner", "Owner (email or name)", "owner_id", ImportFieldKind.Owner,
        Synonyms: ["owneremail", "ownername", "contactowner", "leadowner", "accountowner", "companyowner", "dealowner", "recordowner",
            "hubspotowner", "assignedto", "assignee", "salesrep", "rep", "ownedby"]);

    public static readonly ImportField ExternalId = new("externalId", "External id", "external_id", ImportFieldKind.Text,
        Synonyms: ["id", "recordid", "crmid", "sourceid"]);

    /// <summary>A person's first name (leads, contacts); empty rather than null when the file has none.</summary>
    public static readonly ImportField FirstName = new("firstName", "First name", "first_name", ImportFieldKind.Text, 100,
        Synonyms: ["first", "givenname", "fname", "forename"], Insert: "coalesce({v}, '')");

    public static readonly ImportField LastName = new("lastName", "Last name", "last_name", ImportFieldKind.Text, 100,
        Synonyms: ["last", "surname", "familyname", "lname"], RequiredOnCreate: true);

    public static readonly ImportField JobTitle = new("title", "Title", "title", ImportFieldKind.Text, 200, Synonyms: ["jobtitle", "position"]);

    /// <summary>The match key on <see cref="ExternalId"/>, which every target offers.</summary>
    public static ImportMatchKey ExternalIdKey(string table) =>
        new("externalId", "externalId", $"select external_id as key, id from {table} where external_id is not null");
}

/// <summary>The import targets the features registered (AddImportTarget), found by entity or by the API's plural name.</summary>
[Singleton]
public sealed class ImportTargets(IEnumerable<ImportTarget> targets)
{
    private readonly IReadOnlyList<ImportTarget> _all = targets.ToList();

    public IReadOnlyList<ImportTarget> All => _all;

    /// <summary>The entity names the API takes (<c>leads|contacts|accounts</c>, singular too), to the target.</summary>
    public ImportTarget? FromApiName(string? name)
    {
        var key = name?.Trim().ToLowerInvariant();
        return _all.FirstOrDefault(t => key == t.Entity || key == t.Entity + "s");
    }

    public ImportTarget ForEntity(string entity) =>
        _all.FirstOrDefault(t => t.Entity == entity) ?? throw new ArgumentOutOfRangeException(nameof(entity), entity, "Not an importable entity.");
}

public static class ImportTargetRegistration
{
    /// <summary>Makes an entity importable: its feature registers the target it declares beside the entity.</summary>
    public static IServiceCollection AddImportTarget(this IServiceCollection services, ImportTarget target) => services.AddSingleton(target);
}
