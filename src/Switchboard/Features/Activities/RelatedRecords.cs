namespace Switchboard.Features.Activities;

public static class RelatedTypes
{
    public static readonly IReadOnlyList<string> All = ["lead", "contact", "account", "opportunity"];

    /// <summary>The table of a related type. Only these fixed names ever reach SQL text; ids are always parameters.</summary>
    public static string Table(string type) => type switch
    {
        "lead" => "leads",
        "contact" => "contacts",
        "account" => "accounts",
        "opportunity" => "opportunities",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a related type."),
    };
}

/// <summary>
/// Whether a related record exists and the caller may see it, asked of the table itself through the tenant's
/// connection (RLS hides other tenants' rows). Agents see only records they own (owner_id), as for leads.
/// </summary>
[Scoped]
public sealed class RelatedRecords(SwitchboardDbContext db, TenantContext ctx)
{
    public async Task<bool> IsVisibleAsync(string type, Guid id, CancellationToken ct)
    {
        var rows = ctx.Role == TenantRole.Agent
            ? db.Database.SqlQueryRaw<bool>(ExistsSql(type, ownedOnly: true), id, ctx.RequiredUserId)
            : db.Database.SqlQueryRaw<bool>(ExistsSql(type, ownedOnly: false), id);
        return (await rows.ToListAsync(ct)).Single();
    }

    /// <summary>Constant SQL per table (table names cannot be parameters); the id and owner are always parameters.</summary>
    private static string ExistsSql(string type, bool ownedOnly) => (RelatedTypes.Table(type), ownedOnly) switch
    {
        ("leads", false) => """select exists (select 1 from leads where id = {0}) as "Value" """,
        ("leads", true) => """select exists (select 1 from leads where id = {0} and owner_id = {1}) as "Value" """,
        ("contacts", false) => """select exists (select 1 from contacts where id = {0}) as "Value" """,
        ("contacts", true) => """select exists (select 1 from contacts where id = {0} and owner_id = {1}) as "Value" """,
        ("accounts", false) => """select exists (select 1 from accounts where id = {0}) as "Value" """,
        ("accounts", true) => """select exists (select 1 from accounts where id = {0} and owner_id = {1}) as "Value" """,
        ("opportunities", false) => """select exists (select 1 from opportunities where id = {0}) as "Value" """,
        _ => """select exists (select 1 from opportunities where id = {0} and owner_id = {1}) as "Value" """,
    };

    /// <summary>Adds a field error unless the pair is complete, of a known type, and names a record the caller may see.</summary>
    public async Task ValidateAsync(string? type, Guid? id, bool required, Platform.Web.ValidationErrors errors, CancellationToken ct)
    {
        if (type is null && id is null)
        {
            if (required) errors.Add("relatedType", "A related record (relatedType and relatedId) is required.");
            return;
        }
        if (type is null) { errors.Add("relatedType", "relatedType is required with relatedId."); return; }
        if (id is null) { errors.Add("relatedId", "relatedId is required with relatedType."); return; }
        if (!RelatedTypes.All.Contains(type)) return; // OneOf already reported it
        if (!await IsVisibleAsync(type, id.Value, ct))
            errors.Add("relatedId", ctx.Role == TenantRole.Agent
                ? $"No {type} with this id exists among the records you own."
                : $"No {type} with this id exists.");
    }
}
