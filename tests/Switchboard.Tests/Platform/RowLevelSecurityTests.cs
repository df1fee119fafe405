using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>
/// The database is the last lock: raw SQL as the runtime role, under tenant A, neither sees nor changes
/// tenant B's rows, whatever the application code does.
/// </summary>
public sealed class RowLevelSecurityTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private readonly Guid _tenantA = Guid.CreateVersion7();
    private readonly Guid _tenantB = Guid.CreateVersion7();
    private readonly Guid _leadOfB = Guid.CreateVersion7();

    public async Task InitializeAsync()
    {
        _db = await TestCluster.CreateDatabaseAsync();
        await using var owner = await OpenAsync(_db.SuperuserConnectionString);
        await ExecAsync(owner, $"""
            insert into tenants (id, name, slug, time_zone, currency, date_format, default_country, created_at, updated_at) values
              ('{_tenantA}', 'A', 'a', 'UTC', 'USD', 'yyyy-MM-dd', 'US', now(), now()),
              ('{_tenantB}', 'B', 'b', 'UTC', 'USD', 'yyyy-MM-dd', 'US', now(), now());
            insert into leads (tenant_id, id, first_name, last_name, status, created_at, updated_at)
              values ('{_tenantB}', '{_leadOfB}', 'Bea', 'Bee', 'new', now(), now());
            insert into audit_log (id, tenant_id, occurred_at, actor_type, action)
              values ('{Guid.CreateVersion7()}', '{_tenantB}', now(), 'system', 'test');
            """);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _db.Cluster.DropDatabaseAsync(_db.Name);
    }

    private async Task<NpgsqlConnection> AsRuntimeIn(Guid? tenant)
    {
        var conn = await OpenAsync(_db.RuntimeConnectionString);
        await ExecAsync(conn, $"select set_config('app.tenant_id', '{tenant?.ToString() ?? ""}', false)");
        return conn;
    }

    [Theory]
    [InlineData("leads")]
    [InlineData("audit_log")]
    public async Task Runtime_role_in_tenant_A_sees_none_of_tenant_Bs_rows(string table)
    {
        await using var conn = await AsRuntimeIn(_tenantA);

        var visible = await ScalarAsync<long>(conn, $"select count(*) from {table} where tenant_id = '{_tenantB}'");

        visible.ShouldBe(0);
    }

    [Fact]
    public async Task Runtime_role_with_no_tenant_set_sees_no_tenant_rows()
    {
        await using var conn = await AsRuntimeIn(null);

        (await ScalarAsync<long>(conn, "select count(*) from leads")).ShouldBe(0);
    }

    [Fact]
    public async Task Runtime_role_in_tenant_B_does_see_its_own_rows()
    {
        await using var conn = await AsRuntimeIn(_tenantB);

        (await ScalarAsync<long>(conn, "select count(*) from leads")).ShouldBe(1);
    }

    [Fact]
    public async Task Runtime_role_in_tenant_A_cannot_insert_a_row_for_tenant_B()
    {
        await using var conn = await AsRuntimeIn(_tenantA);

        var error = await Should.ThrowAsync<PostgresException>(() => ExecAsync(conn,
            $"insert into leads (tenant_id, id, first_name, last_name, status, created_at, updated_at) values ('{_tenantB}', gen_random_uuid(), 'X', 'Y', 'new', now(), now())"));

        error.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege); // new row violates row-level security policy
    }

    [Fact]
    public async Task Runtime_role_in_tenant_A_cannot_update_or_delete_tenant_Bs_rows()
    {
        await using (var conn = await AsRuntimeIn(_tenantA))
        {
            (await ExecAsync(conn, $"update leads set last_name = 'Hijacked' where id = '{_leadOfB}'")).ShouldBe(0);
            (await ExecAsync(conn, $"delete from leads where id = '{_leadOfB}'")).ShouldBe(0);
        }
        await using var check = await AsRuntimeIn(_tenantB);
        (await ScalarAsync<string>(check, $"select last_name from leads where id = '{_leadOfB}'")).ShouldBe("Bee");
    }

    [Fact]
    public async Task Runtime_role_in_tenant_A_cannot_move_its_row_into_tenant_B()
    {
        await using var conn = await AsRuntimeIn(_tenantA);
        await ExecAsync(conn, $"insert into leads (tenant_id, id, first_name, last_name, status, created_at, updated_at) values ('{_tenantA}', gen_random_uuid(), 'A', 'Own', 'new', now(), now())");

        var error = await Should.ThrowAsync<PostgresException>(() => ExecAsync(conn, $"update leads set tenant_id = '{_tenantB}'"));

        error.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Fact]
    public async Task Runtime_role_may_only_insert_and_read_audit_rows()
    {
        await using var conn = await AsRuntimeIn(_tenantB);

        var update = await Should.ThrowAsync<PostgresException>(() => ExecAsync(conn, "update audit_log set action = 'tampered'"));
        var delete = await Should.ThrowAsync<PostgresException>(() => ExecAsync(conn, "delete from audit_log"));

        update.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        delete.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Fact]
    public async Task Every_tenant_owned_table_has_row_level_security_enabled_and_forced()
    {
        await using var conn = await OpenAsync(_db.SuperuserConnectionString);

        var tables = await ListAsync(conn, """
            select c.relname || ':' || c.relrowsecurity || ':' || c.relforcerowsecurity
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
            where n.nspname = 'public' and c.relkind = 'r'
              -- Platform tables that carry a tenant id but belong to no single tenant: sessions are looked up
              -- before a tenant is known; the job queue is claimed across tenants by workers, which then
              -- enter the job's tenant to do the work under these same policies.
              and c.relname not in ('user_sessions', 'jobs')
            order by 1
            """);

        tables.ShouldNotBeEmpty();
        tables.ShouldAllBe(t => t.EndsWith(":true:true"));
    }

    [Fact]
    public async Task Runtime_role_is_neither_superuser_nor_bypassrls()
    {
        await using var conn = await OpenAsync(_db.RuntimeConnectionString);

        (await ScalarAsync<bool>(conn, "select rolsuper or rolbypassrls from pg_roles where rolname = current_user")).ShouldBeFalse();
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return conn;
    }

    private static async Task<int> ExecAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var result = new List<string>();
        while (await reader.ReadAsync()) result.Add(reader.GetString(0));
        return result;
    }
}
