using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Audit;

/// <summary>
/// Raw SQL on a test database for the audit tests: reading a chain as the superuser, writing rows as the runtime role
/// inside a tenant (as any writer would, so the chain trigger numbers them), and tampering as the owner or superuser.
/// </summary>
public sealed class AuditSql(TestDatabase database)
{
    /// <summary>The tenant's audit rows in chain order: (id, seq, action), once the chain's backlog is sealed.</summary>
    public async Task<IReadOnlyList<(Guid Id, long Seq, string Action)>> ChainAsync(Guid tenantId)
    {
        await using var conn = await OpenAsync(database.SuperuserConnectionString);
        await using (var seal = new NpgsqlCommand("select audit_seal_backlogs($1, true)", conn) { Parameters = { new() { Value = tenantId } } })
            await seal.ExecuteNonQueryAsync();
        await using var cmd = new NpgsqlCommand("select a.id, l.seq, a.action from audit_chain l join audit_log a on a.id = l.audit_id where l.chain_id = $1 order by l.seq", conn) { Parameters = { new() { Value = tenantId } } };
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(Guid, long, string)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2)));
        return rows;
    }

    public async Task<long> ScalarAsync(string sql, params object[] values)
    {
        await using var conn = await OpenAsync(database.SuperuserConnectionString);
        await using var cmd = Command(sql, conn, values);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>Runs SQL as the superuser: it bypasses row-level security and every grant, the strongest tamperer.</summary>
    public async Task<int> AsSuperuserAsync(string sql, params object[] values)
    {
        await using var conn = await OpenAsync(database.SuperuserConnectionString);
        await using var cmd = Command(sql, conn, values);
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Opens a runtime-role connection inside the tenant, with the settings the application sets.</summary>
    public async Task<NpgsqlConnection> RuntimeInTenantAsync(Guid tenantId)
    {
        var conn = await OpenAsync(database.RuntimeConnectionString);
        await using var cmd = Command("select set_config('app.tenant_id', $1, false), set_config('app.user_id', '', false), set_config('app.platform', 'off', false)",
            conn, [tenantId.ToString()]);
        await cmd.ExecuteNonQueryAsync();
        return conn;
    }

    /// <summary>Inserts an audit row as the runtime role, as raw SQL writers do; the trigger gives it its place in the chain.</summary>
    public static async Task InsertAsync(NpgsqlConnection conn, Guid tenantId, string action, DateTimeOffset occurredAt, string? changesJson = null,
        NpgsqlTransaction? tx = null, string actorType = "system", Guid? actorId = null)
    {
        await using var cmd = new NpgsqlCommand("""
            insert into audit_log (id, tenant_id, occurred_at, actor_type, actor_id, actor_name, action, entity_type, entity_id, changes)
            values ($1, $2, $3, $4, $5, 'test', $6, 'lead', $7, $8::jsonb)
            """, conn, tx)
        {
            Parameters =
            {
                new() { Value = Guid.CreateVersion7() }, new() { Value = tenantId }, new() { Value = occurredAt }, new() { Value = actorType },
                new() { Value = (object?)actorId ?? DBNull.Value }, new() { Value = action }, new() { Value = Guid.NewGuid().ToString() },
                new() { Value = (object?)changesJson ?? DBNull.Value },
            },
        };
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<JsonElement> VerifyAsync(HttpClient admin)
    {
        var response = await admin.GetAsync("/api/v1/audit/verify");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The response is a 400 whose problem names <paramref name="field"/>.</summary>
    public static async Task ShouldBeInvalidOnAsync(HttpResponseMessage response, string field)
    {
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue($"a message on {field}");
    }

    private static NpgsqlCommand Command(string sql, NpgsqlConnection conn, object[] values)
    {
        var cmd = new NpgsqlCommand(sql, conn);
        foreach (var value in values) cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        return cmd;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return conn;
    }
}
