using Npgsql;
using Switchboard.Testing;
using Xunit.Abstractions;

namespace Switchboard.Tests.Platform;

/// <summary>
/// The database is the last lock: raw SQL as the runtime role, under tenant A, neither sees nor changes
/// tenant B's rows, whatever the application code does. The tables come from the catalog (every table in
/// schema public with a tenant_id column), so a table added by a later migration is held to the same rules
/// without editing this file, and each check first proves it is not vacuous: tenant B really has rows there.
///
/// Rules the checks allow for:
/// - The runtime role may only insert and read audit_log (update and delete are revoked), so "permission
///   denied" (42501, like an RLS refusal) counts as refused for any write.
/// - A nullable tenant_id marks platform rows (audit_log: superadmin actions); a tenant connection must not
///   see those either, unless it is on the platform path (app.platform = 'on', never set here).
/// - Tables in <see cref="TenantTables.PlatformTables"/> have no row-level security by design.
/// The read and write checks run as the runtime role and as the owner role: the owner is held to the policies
/// only because row-level security is FORCED, and it is the runtime role of a single-role installation.
/// </summary>
public sealed class RowLevelSecurityTests(TwoTenantsHost host, ITestOutputHelper output) : IClassFixture<TwoTenantsHost>
{
    [Fact]
    public async Task Every_tenant_owned_table_has_row_level_security_enabled_and_forced()
    {
        await using var conn = await OpenAsync(host.Database.SuperuserConnectionString);
        var all = await TenantTables.ListAsync(conn);

        var failures = all.Where(t => !TenantTables.PlatformTables.ContainsKey(t.Name) && !(t.RowSecurity && t.ForceRowSecurity))
            .Select(t => $"{t.Name}: row level security {(t.RowSecurity ? "enabled" : "DISABLED")}, {(t.ForceRowSecurity ? "forced" : "NOT FORCED")}")
            .Concat(TenantTables.PlatformTables.Keys.Where(name => all.All(t => t.Name != name))
                .Select(name => $"{name}: listed as a platform table but has no tenant_id column any more; remove it from the list"))
            .ToList();

        output.WriteLine("Tenant-owned tables: " + string.Join(", ", all.Where(t => !TenantTables.PlatformTables.ContainsKey(t.Name)).Select(t => t.Name)));
        all.ShouldNotBeEmpty();
        ShouldHaveNone(failures);
    }

    [Theory]
    [InlineData(Role.Runtime)]
    [InlineData(Role.Owner)]
    public async Task A_connection_in_one_tenant_reads_no_other_tenants_rows_in_any_tenant_owned_table(Role role)
    {
        var failures = new List<string>();
        await using var superuser = await OpenAsync(host.Database.SuperuserConnectionString);
        foreach (var table in await TenantTables.ListTenantOwnedAsync(superuser))
        {
            if (!await HasRowsOfBothTenantsAsync(superuser, table, failures)) continue;
            foreach (var (self, other) in new[] { (host.A.Id, host.B.Id), (host.B.Id, host.A.Id) })
            {
                await using var conn = await ConnectAsync(role, self);
                await using var cmd = new NpgsqlCommand($"""
                    select count(*) filter (where tenant_id = @self),
                           count(*) filter (where tenant_id = @other),
                           count(*) filter (where tenant_id <> @self and tenant_id <> @other),
                           count(*) filter (where tenant_id is null)
                    from {table.QuotedName}
                    """, conn);
                cmd.Parameters.AddWithValue("self", self);
                cmd.Parameters.AddWithValue("other", other);
                await using var reader = await cmd.ExecuteReaderAsync();
                await reader.ReadAsync();
                var (own, otherTenant, elsewhere, platform) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
                var who = $"the {role.ToString().ToLowerInvariant()} role in tenant {(self == host.A.Id ? "A" : "B")}";
                if (otherTenant > 0) failures.Add($"{table.Name}: {who} reads {otherTenant} row(s) of the other tenant");
                if (elsewhere > 0) failures.Add($"{table.Name}: {who} reads {elsewhere} row(s) of further tenants");
                if (platform > 0) failures.Add($"{table.Name}: {who} reads {platform} platform row(s) (tenant_id null) off the platform path");
                if (own == 0) failures.Add($"{table.Name}: {who} cannot read its own rows, so the write checks prove nothing");
            }
        }

        ShouldHaveNone(failures);
    }

    [Theory]
    [InlineData(Role.Runtime)]
    [InlineData(Role.Owner)]
    public async Task A_connection_with_no_tenant_set_reads_no_rows_in_any_tenant_owned_table(Role role)
    {
        var failures = new List<string>();
        await using var superuser = await OpenAsync(host.Database.SuperuserConnectionString);
        await using var conn = await ConnectAsync(role, null);
        foreach (var table in await TenantTables.ListTenantOwnedAsync(superuser))
        {
            if (!await HasRowsOfBothTenantsAsync(superuser, table, failures)) continue;
            await using var cmd = new NpgsqlCommand($"select count(*) from {table.QuotedName}", conn);
            if ((long)(await cmd.ExecuteScalarAsync())! is var visible and > 0)
                failures.Add($"{table.Name}: {visible} row(s) visible to the {role.ToString().ToLowerInvariant()} role with no tenant set");
        }

        ShouldHaveNone(failures);
    }

    /// <summary>
    /// Each write is tried in its own transaction, rolled back, so a leak found in one table cannot hide or cause
    /// another. "Refused" means SQLSTATE 42501: an RLS WITH CHECK violation or a revoked privilege. PostgreSQL
    /// checks WITH CHECK before constraints and keys, so any other error means RLS did not stop the write.
    /// </summary>
    [Theory]
    [InlineData(Role.Runtime)]
    [InlineData(Role.Owner)]
    public async Task A_connection_in_tenant_A_cannot_write_tenant_Bs_rows_in_any_tenant_owned_table(Role role)
    {
        var failures = new List<string>();
        await using var superuser = await OpenAsync(host.Database.SuperuserConnectionString);
        await using var conn = await ConnectAsync(role, host.A.Id);
        foreach (var table in await TenantTables.ListTenantOwnedAsync(superuser))
        {
            if (!await HasRowsOfBothTenantsAsync(superuser, table, failures)) continue;
            var t = table.QuotedName;
            var by = $"the {role.ToString().ToLowerInvariant()} role in tenant A";
            var copyOfAsRowForB = $"""
                insert into {t} ({table.ColumnList})
                select {table.ColumnList}
                from jsonb_populate_record(null::{t}, (select to_jsonb(x) from {t} x where tenant_id = @a limit 1) || jsonb_build_object('tenant_id', @b))
                """;

            await ExpectRefusedAsync(conn, table, $"{by} inserting a copy of A's row for tenant B", copyOfAsRowForB, failures, zeroRowsIsRefusal: false);
            await ExpectRefusedAsync(conn, table, $"{by} moving A's rows to tenant B", $"update {t} set tenant_id = @b where tenant_id = @a", failures);
            await ExpectRefusedAsync(conn, table, $"{by} updating B's rows", $"update {t} set tenant_id = tenant_id where tenant_id = @b", failures);
            await ExpectRefusedAsync(conn, table, $"{by} deleting B's rows", $"delete from {t} where tenant_id = @b", failures);
        }

        ShouldHaveNone(failures);
    }

    [Fact]
    public async Task Runtime_role_may_only_insert_and_read_audit_rows()
    {
        await using var conn = await ConnectAsync(Role.Runtime, host.B.Id);

        var update = await Should.ThrowAsync<PostgresException>(() => ExecAsync(conn, "update audit_log set action = 'tampered'"));
        var delete = await Should.ThrowAsync<PostgresException>(() => ExecAsync(conn, "delete from audit_log"));

        update.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        delete.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Fact]
    public async Task Runtime_role_is_neither_superuser_nor_bypassrls()
    {
        await using var conn = await OpenAsync(host.Database.RuntimeConnectionString);

        (await ScalarAsync<bool>(conn, "select rolsuper or rolbypassrls from pg_roles where rolname = current_user")).ShouldBeFalse();
    }

    /// <summary>Without rows of both tenants a check proves nothing, so that is a failure too, naming the table.</summary>
    private async Task<bool> HasRowsOfBothTenantsAsync(NpgsqlConnection superuser, TenantTable table, List<string> failures)
    {
        await using var cmd = new NpgsqlCommand(
            $"""
            select count(*) filter (where tenant_id = @a), count(*) filter (where tenant_id = @b), count(*) filter (where tenant_id is null)
            from {table.QuotedName}
            """, superuser);
        cmd.Parameters.AddWithValue("a", host.A.Id);
        cmd.Parameters.AddWithValue("b", host.B.Id);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        var missing = new[] { (reader.GetInt64(0), "tenant A"), (reader.GetInt64(1), "tenant B"), (table.TenantIdNullable ? reader.GetInt64(2) : 1, "the platform (tenant_id null)") }
            .Where(c => c.Item1 == 0).Select(c => c.Item2).ToList();
        if (missing.Count == 0) return true;
        failures.Add($"{table.Name}: no rows for {string.Join(" or ", missing)}, so isolation is unproven; make {nameof(TwoTenantsHost)} create some through the product");
        return false;
    }

    private async Task ExpectRefusedAsync(NpgsqlConnection conn, TenantTable table, string attempt, string sql, List<string> failures, bool zeroRowsIsRefusal = true)
    {
        await using var tx = await conn.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddWithValue("a", host.A.Id);
        cmd.Parameters.AddWithValue("b", host.B.Id);
        try
        {
            var rows = await cmd.ExecuteNonQueryAsync();
            if (rows > 0 || !zeroRowsIsRefusal) failures.Add($"{table.Name}: {attempt} was allowed ({rows} row(s))");
        }
        catch (PostgresException e) when (e.SqlState != PostgresErrorCodes.InsufficientPrivilege)
        {
            failures.Add($"{table.Name}: {attempt} failed with {e.SqlState} ({e.MessageText}), not refused by row-level security");
        }
        catch (PostgresException)
        {
            // Refused: RLS WITH CHECK or a revoked privilege.
        }
        finally
        {
            await tx.RollbackAsync();
        }
    }

    public enum Role { Runtime, Owner }

    private static void ShouldHaveNone(List<string> failures)
    {
        if (failures.Count > 0) Assert.Fail("Row-level security does not hold:" + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }

    private async Task<NpgsqlConnection> ConnectAsync(Role role, Guid? tenant)
    {
        // The same three settings TenantConnectionInterceptor sets; no user, and never the platform path.
        var conn = await OpenAsync(role == Role.Owner ? host.Database.OwnerConnectionString : host.Database.RuntimeConnectionString);
        await using var cmd = new NpgsqlCommand(
            "select set_config('app.tenant_id', @tenant, false), set_config('app.user_id', '', false), set_config('app.platform', '', false)", conn);
        cmd.Parameters.AddWithValue("tenant", tenant?.ToString() ?? "");
        await cmd.ExecuteNonQueryAsync();
        return conn;
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
}
