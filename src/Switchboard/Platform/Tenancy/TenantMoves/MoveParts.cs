using Npgsql;

namespace Switchboard.Platform.Tenancy.TenantMoves;

/// <summary>What a part of a tenant move is, which decides how <see cref="TenantImport"/> writes it and whether it verifies it.</summary>
public enum MovePartKind
{
    /// <summary>The tenant's row in <c>tenants</c>.</summary>
    Tenant,
    /// <summary>Users the tenant's rows refer to (<c>users</c> is global: a user may belong to several tenants).</summary>
    Users,
    /// <summary>A global per-user table (second factors, password history …), for the users above.</summary>
    UserTable,
    /// <summary>The installation's Data Protection keys, so the target can read the tenant's encrypted secrets.</summary>
    ProtectionKeys,
    /// <summary>A table with a tenant_id column: every row of the tenant.</summary>
    TenantTable,
    /// <summary>An audit chain table keyed by chain_id (the tenant's id): the chain moves unchanged.</summary>
    AuditChain,
}

/// <summary>
/// One table's share of a tenant: the columns copied (generated columns are left out; they are recomputed), the rows
/// (<see cref="Filter"/>), and the columns the checksum covers. Both sides compute the checksum with <see cref="ChecksumSql"/>.
/// </summary>
public sealed record MovePart(MovePartKind Kind, string Table, IReadOnlyList<string> Columns, string Filter, IReadOnlyList<string> ChecksumColumns, string? IdentityColumn = null)
{
    public string ColumnList => string.Join(", ", Columns.Select(Quote));

    public string CopyOutSql => $"copy (select {ColumnList} from {Quote(Table)} where {Filter}) to stdout";

    /// <summary>Row count and an order-independent checksum: md5 over the sorted md5s of each row's text (UTC, ISO dates, exact floats).</summary>
    public string ChecksumSql => $"""
        select count(*)::bigint, coalesce(md5(string_agg(h, ',' order by h)), '')
        from (select md5(row({string.Join(", ", ChecksumColumns.Select(Quote))})::text) h from {Quote(Table)} where {Filter}) s
        """;

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}

/// <summary>
/// The parts of one tenant, discovered from the catalog so tables added by later migrations move without a change here:
/// the tenant row, its users and their per-user tables, the Data Protection keys, every table with a tenant_id column in
/// foreign-key order (parents first), and the tenant's audit chain.
/// </summary>
public static class MoveCatalog
{
    /// <summary>
    /// Tables with a tenant_id that do not move: they belong to the platform, not to the tenant's data, and the target
    /// rebuilds what it needs (ADR 0065).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NotMoved = new Dictionary<string, string>
    {
        ["user_sessions"] = "sign-ins are per installation: users sign in again on the target",
        ["mfa_challenges"] = "a sign-in's second step in flight, valid for minutes",
        ["jobs"] = "the work queue: let the source drain it before the move (pending jobs stay on the source)",
        ["webhook_queue"] = "the dispatchers' queue; the target's trigger rebuilds it from the enabled subscriptions",
    };

    /// <summary>Global per-user tables that move with a user who is new on the target (tokens and devices do not: sign in again).</summary>
    public static readonly IReadOnlyList<string> UserTables =
        ["user_claims", "user_logins", "user_second_factors", "user_recovery_codes", "password_history", "webauthn_user_handles"];

    /// <summary>The audit chain tables, keyed by chain_id = the tenant's id.</summary>
    public static readonly IReadOnlyList<string> ChainTables = ["audit_chain", "audit_chain_heads", "audit_backlog"];

    public static async Task<List<MovePart>> PartsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid tenantId, CancellationToken ct)
    {
        var t = $"'{tenantId}'::uuid";
        var columns = await ColumnsAsync(conn, tx, ct);
        var tenantTables = await TenantTablesInOrderAsync(conn, tx, ct);
        var userRefs = await UserReferencesAsync(conn, tx, tenantTables, ct);

        var users = "id in (" + string.Join(" union ", userRefs.Select(r => $"select {MovePart.Quote(r.Column)} from {MovePart.Quote(r.Table)} where tenant_id = {t}")
            .Append($"select sso_break_glass_user_id from tenants where id = {t}")) + ")";

        var parts = new List<MovePart>();
        MovePart Part(MovePartKind kind, string table, string filter, Func<Column, bool>? copy = null, Func<Column, bool>? checksum = null)
        {
            var copied = columns[table].Where(c => !c.Generated && (copy?.Invoke(c) ?? true)).ToList();
            var summed = copied.Where(c => checksum?.Invoke(c) ?? true).Select(c => c.Name).ToList();
            return new MovePart(kind, table, copied.Select(c => c.Name).ToList(), filter, summed, copied.FirstOrDefault(c => c.Identity)?.Name);
        }

        parts.Add(Part(MovePartKind.Tenant, "tenants", $"id = {t}"));
        parts.Add(Part(MovePartKind.Users, "users", users));
        foreach (var table in UserTables.Where(columns.ContainsKey))
            parts.Add(Part(MovePartKind.UserTable, table, $"user_id in (select id from users where {users})", copy: c => !c.Serial));
        parts.Add(Part(MovePartKind.ProtectionKeys, "data_protection_keys", "true", copy: c => !c.Serial));
        foreach (var table in tenantTables.Where(n => !NotMoved.ContainsKey(n)))
            parts.Add(Part(MovePartKind.TenantTable, table, $"tenant_id = {t}"));
        foreach (var table in ChainTables.Where(columns.ContainsKey))
            parts.Add(Part(MovePartKind.AuditChain, table, $"chain_id = {t}", checksum: c => !c.Identity));
        return parts;
    }

    public sealed record Column(string Name, bool Generated, bool Identity, bool Serial);

    private static async Task<Dictionary<string, List<Column>>> ColumnsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select c.relname, a.attname, a.attgenerated <> '', a.attidentity <> '', coalesce(pg_get_expr(d.adbin, d.adrelid) like 'nextval(%', false)
            from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
            where n.nspname = 'public' and c.relkind in ('r', 'p')
            order by c.relname, a.attnum
            """, conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var result = new Dictionary<string, List<Column>>();
        while (await reader.ReadAsync(ct))
        {
            var table = reader.GetString(0);
            if (!result.TryGetValue(table, out var list)) result[table] = list = [];
            list.Add(new Column(reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4)));
        }
        return result;
    }

    /// <summary>Every table with a tenant_id column, parents before children (foreign keys between them), ties by name.</summary>
    private static async Task<List<string>> TenantTablesInOrderAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var tables = new SortedSet<string>(StringComparer.Ordinal);
        var parents = new Dictionary<string, HashSet<string>>();
        await using (var cmd = new NpgsqlCommand("""
            select c.relname,
                   array(select distinct p.relname::text from pg_constraint f join pg_class p on p.oid = f.confrelid
                         where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid
                           and exists (select from pg_attribute pa where pa.attrelid = p.oid and pa.attname = 'tenant_id' and not pa.attisdropped))
            from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind in ('r', 'p')
              and exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
            """, conn, tx))
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                tables.Add(reader.GetString(0));
                parents[reader.GetString(0)] = [.. reader.GetFieldValue<string[]>(1)];
            }
        }

        var ordered = new List<string>();
        var done = new HashSet<string>();
        while (done.Count < tables.Count)
        {
            var ready = tables.FirstOrDefault(n => !done.Contains(n) && parents[n].All(p => done.Contains(p) || !tables.Contains(p)));
            if (ready is null)
                throw new InvalidOperationException($"The foreign keys between tenant tables form a cycle among: {string.Join(", ", tables.Where(n => !done.Contains(n)))}.");
            ordered.Add(ready);
            done.Add(ready);
        }
        return ordered;
    }

    /// <summary>The columns of tenant tables that reference users(id) by a foreign key, and tenant_memberships.user_id.</summary>
    private static async Task<List<(string Table, string Column)>> UserReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, List<string> tenantTables, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select distinct c.relname::text, a.attname::text
            from pg_constraint f
            join pg_class c on c.oid = f.conrelid
            join pg_attribute a on a.attrelid = f.conrelid and a.attnum = f.conkey[1]
            where f.contype = 'f' and f.confrelid = 'users'::regclass and cardinality(f.conkey) = 1
            order by 1, 2
            """, conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var result = new List<(string, string)>();
        while (await reader.ReadAsync(ct))
        {
            var table = reader.GetString(0);
            if (tenantTables.Contains(table) && !NotMoved.ContainsKey(table)) result.Add((table, reader.GetString(1)));
        }
        return result;
    }
}
