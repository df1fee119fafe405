namespace Switchboard.Features.Opportunities;

/// <summary>
/// Reads of accounts and contacts by id, in SQL on the tenant's connection so RLS applies. The accounts feature
/// owns their entities; this feature only needs "does it exist here" and a display name.
/// </summary>
[Scoped]
public sealed class CrmReferences(SwitchboardDbContext db)
{
    public async Task<bool> AccountExistsAsync(Guid id, CancellationToken ct) =>
        await db.Database.SqlQuery<bool>($"select exists(select 1 from accounts where id = {id}) as \"Value\"").SingleAsync(ct);

    public async Task<bool> ContactExistsAsync(Guid id, CancellationToken ct) =>
        await db.Database.SqlQuery<bool>($"select exists(select 1 from contacts where id = {id}) as \"Value\"").SingleAsync(ct);

    public async Task<Dictionary<Guid, string>> AccountNamesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var array = ids.ToArray();
        var rows = await db.Database.SqlQuery<AccountName>($"select id as \"Id\", name as \"Name\" from accounts where id = any({array})").ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => r.Name);
    }

    /// <summary>The names of the account and contact an opportunity links, for the form's pickers (null when not found).</summary>
    public async Task<(string? Account, string? Contact)> NamesAsync(Guid? accountId, Guid? contactId, CancellationToken ct)
    {
        var account = accountId is { } a
            ? await db.Database.SqlQuery<string>($"select name as \"Value\" from accounts where id = {a}").SingleOrDefaultAsync(ct)
            : null;
        var contact = contactId is { } c
            ? await db.Database.SqlQuery<string>($"select trim(first_name || ' ' || last_name) as \"Value\" from contacts where id = {c}").SingleOrDefaultAsync(ct)
            : null;
        return (account, contact);
    }

    /// <summary>The owner's name as the other record pages show it ("Unassigned", "Former member").</summary>
    public async Task<string> OwnerNameAsync(Guid? ownerId, CancellationToken ct) =>
        ownerId is null ? LeadOwners.NameOf([], null) : LeadOwners.NameOf(await LeadOwners.ListAsync(db, ct), ownerId);

    private sealed record AccountName(Guid Id, string Name);
}
