using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>
/// The schema stays distributable by tenant_id (issue 15 §4, ADR 0065): in every tenant table (a table with a tenant_id
/// column, except the platform tables of <see cref="TenantTables.PlatformTables"/>) the primary key includes tenant_id,
/// every unique index includes it, and every foreign key to another tenant table carries tenant_id on both sides (and a
/// SET NULL one names its columns, so tenant_id is never nulled). A sharded PostgreSQL such as Citus requires exactly this.
/// </summary>
public sealed class DistributableSchemaTests : IAsyncLifetime
{
    /// <summary>
    /// Tenant tables that also hold platform rows (tenant_id null), so tenant_id cannot be in their primary key. Not
    /// global: ADR 0065 lists them as the one open item before the schema could be distributed as is.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> MixedTables = new Dictionary<string, string>
    {
        ["audit_log"] = "the platform's own audit chain is stored with tenant_id null beside every tenant's chain; its key stays (id)",
        ["outbound_emails"] = "mail sent outside any tenant (sign-in, superadmin notices) is stored with tenant_id null; its key stays (id)",
    };

    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestCluster.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await _db.DropAsync();
    }

    [Fact]
    public async Task Every_tenant_tables_primary_key_unique_indexes_and_foreign_keys_include_tenant_id()
    {
        await using var conn = new NpgsqlConnection(_db.OwnerConnectionString);
        await conn.OpenAsync();

        var offenders = await OffendersAsync(conn);

        offenders.ShouldBeEmpty($"tenant tables whose keys leave out tenant_id:\n{string.Join("\n", offenders)}");
    }

    [Fact]
    public async Task A_table_with_a_global_key_a_global_unique_index_and_a_foreign_key_without_tenant_id_is_named()
    {
        await using var conn = new NpgsqlConnection(_db.OwnerConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand("""
            create table dist_probe_parent (tenant_id uuid not null, id uuid not null, code text not null, primary key (tenant_id, id));
            create unique index dist_probe_parent_id on dist_probe_parent (id);
            create unique index dist_probe_parent_code on dist_probe_parent (code);
            create table dist_probe_child (tenant_id uuid not null, id uuid primary key, parent_id uuid references dist_probe_parent (id));
            create table dist_probe_nulling (tenant_id uuid not null, id uuid not null, parent_id uuid, primary key (tenant_id, id),
              foreign key (tenant_id, parent_id) references dist_probe_parent (tenant_id, id) on delete set null);
            """, conn, tx))
            await cmd.ExecuteNonQueryAsync();

        var offenders = await OffendersAsync(conn);

        offenders.ShouldContain("dist_probe_child: primary key dist_probe_child_pkey (id) leaves out tenant_id");
        offenders.ShouldContain(o => o.StartsWith("dist_probe_parent: unique index dist_probe_parent_code (") && o.EndsWith("(code)) leaves out tenant_id"));
        offenders.ShouldContain(o => o.StartsWith("dist_probe_child: foreign key dist_probe_child_parent_id_fkey "));
        offenders.ShouldContain(o => o.StartsWith("dist_probe_nulling: foreign key dist_probe_nulling_tenant_id_parent_id_fkey ") && o.Contains("sets tenant_id null"));
        offenders.ShouldNotContain(o => o.StartsWith("dist_probe_parent: primary key"));
        await tx.RollbackAsync();
    }

    /// <summary>One line per offence, naming the table, the constraint or index and its columns.</summary>
    public static async Task<List<string>> OffendersAsync(NpgsqlConnection conn)
    {
        var skipped = TenantTables.PlatformTables.Keys.Concat(MixedTables.Keys).ToArray();
        await using var cmd = new NpgsqlCommand("""
            with tt as (
              select c.oid, c.relname
              from pg_class c
              join pg_namespace n on n.oid = c.relnamespace
              join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
              where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> all ($1)
            ),
            cols as (
              select attrelid, attnum, attname::text from pg_attribute where attnum > 0 and not attisdropped
            )
            select tt.relname || ': ' || coalesce('primary key ' || con.conname || ' (' ||
                     (select string_agg(c.attname, ', ' order by k.o) from unnest(con.conkey) with ordinality k(n, o) join cols c on c.attrelid = tt.oid and c.attnum = k.n) || ')',
                     'no primary key') || ' leaves out tenant_id'
            from tt left join pg_constraint con on con.conrelid = tt.oid and con.contype = 'p'
            where con.oid is null
               or not exists (select from unnest(con.conkey) k join cols c on c.attrelid = tt.oid and c.attnum = k and c.attname = 'tenant_id')
            union all
            select tt.relname || ': unique index ' || i.relname || ' (' || pg_get_indexdef(i.oid, 0, true) || ') leaves out tenant_id'
            from tt
            join pg_index x on x.indrelid = tt.oid and x.indisunique and not x.indisprimary
            join pg_class i on i.oid = x.indexrelid
            where not exists (select from unnest(x.indkey) k join cols c on c.attrelid = tt.oid and c.attnum = k and c.attname = 'tenant_id')
            union all
            select tt.relname || ': foreign key ' || con.conname || ' (' || pg_get_constraintdef(con.oid) || ') ' ||
                   case when con.confdeltype = 'n' and con.confdelsetcols is null then 'sets tenant_id null on delete; name the column: ON DELETE SET NULL (x_id)'
                        when con.confdeltype = 'n' and exists (select from unnest(con.confdelsetcols) k join cols c on c.attrelid = tt.oid and c.attnum = k and c.attname = 'tenant_id')
                          then 'sets tenant_id null on delete'
                        else 'does not carry tenant_id on both sides' end
            from tt
            join pg_constraint con on con.conrelid = tt.oid and con.contype = 'f'
            where con.confrelid in (select oid from tt)
              and (not exists (select from unnest(con.conkey) k join cols c on c.attrelid = con.conrelid and c.attnum = k and c.attname = 'tenant_id')
                or not exists (select from unnest(con.confkey) k join cols c on c.attrelid = con.confrelid and c.attnum = k and c.attname = 'tenant_id')
                or (con.confdeltype = 'n' and (con.confdelsetcols is null
                    or exists (select from unnest(con.confdelsetcols) k join cols c on c.attrelid = tt.oid and c.attnum = k and c.attname = 'tenant_id'))))
            order by 1
            """, conn);
        cmd.Parameters.Add(new() { Value = skipped });
        await using var reader = await cmd.ExecuteReaderAsync();
        var offenders = new List<string>();
        while (await reader.ReadAsync()) offenders.Add(reader.GetString(0));
        return offenders;
    }
}
