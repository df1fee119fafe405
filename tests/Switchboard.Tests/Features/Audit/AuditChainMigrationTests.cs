using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Database;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Audit;

/// <summary>
/// Migration 0022 on a database that already has audit rows: it renames their actions to the catalogue's names and
/// chains them, tenant by tenant and the platform's, in order of occurred_at then id; the C# canonical form agrees.
/// </summary>
public sealed class AuditChainMigrationTests : IAsyncLifetime
{
    private const int ChainMigration = 22;
    private TestDatabase _db = null!;
    private readonly MigrationRunner _runner = new(NullLogger<MigrationRunner>.Instance);

    public async Task InitializeAsync() => _db = await TestCluster.CreateDatabaseAsync(migrated: false);

    public async Task DisposeAsync()
    {
        await _db.DropAsync();
    }

    [Fact]
    public async Task Existing_rows_get_the_catalogue_names_and_one_chain_per_tenant_in_time_order()
    {
        await _runner.ApplyAsync(_db.OwnerConnectionString, migrations: MigrationRunner.Embedded.Where(m => m.Version < ChainMigration).ToList());
        var tenants = new[] { Guid.CreateVersion7(), Guid.CreateVersion7() };
        var start = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234560);
        await using (var conn = await OpenAsync(_db.SuperuserConnectionString))
        {
            foreach (var tenant in tenants)
                await ExecAsync(conn, $"insert into tenants (id, name, slug, time_zone, currency, date_format, default_country, created_at, updated_at) values ('{tenant}', 'T', 't-{tenant:N}', 'UTC', 'USD', 'yyyy-MM-dd', 'US', now(), now())");
            // Ids and times disagree on order, and a platform row (no tenant) sits among them.
            var rows = new (Guid? Tenant, string Action, int Minutes, string? Changes)[]
            {
                (tenants[0], "update", 3, """{"lastName": {"new": "Lovelace", "old": "Byron"}}"""),
                (tenants[0], "create", 1, """{"note": {"new": "naïve \"quoted\"\nline", "old": null}}"""),
                (null, "sign-in-failed", 2, """{"email": "nobody@example.com"}"""),
                (tenants[1], "export", 5, null),
                (tenants[0], "sign-in", 2, """{"kind": "password"}"""),
                (tenants[1], "lead.converted", 4, """{"amount": 1.50}"""),
                (null, "tenant.create", 1, null),
            };
            foreach (var (tenant, action, minutes, changes) in rows)
            {
                await using var insert = new NpgsqlCommand("""
                    insert into audit_log (id, tenant_id, occurred_at, actor_type, actor_name, action, entity_type, entity_id, changes, ip, user_agent)
                    values ($1, $2, $3, 'user', 'Ada', $4, 'lead', 'x', $5::jsonb, '203.0.113.7', 'Mozilla/5.0')
                    """, conn)
                {
                    Parameters =
                    {
                        new() { Value = Guid.CreateVersion7() }, new() { Value = (object?)tenant ?? DBNull.Value }, new() { Value = start.AddMinutes(minutes) },
                        new() { Value = action }, new() { Value = (object?)changes ?? DBNull.Value },
                    },
                };
                await insert.ExecuteNonQueryAsync();
            }
        }

        await _runner.ApplyAsync(_db.OwnerConnectionString);

        var chained = await ReadAsync();
        chained.Select(r => (r.TenantId, r.Seq, r.Action)).ShouldBe(
        [
            (null, 1, "tenant.created"), (null, 2, "user.sign-in-failed"),
            (tenants[0], 1, "created"), (tenants[0], 2, "user.signed-in"), (tenants[0], 3, "updated"),
            (tenants[1], 1, "lead.converted"), (tenants[1], 2, "export.downloaded"),
        ], ignoreOrder: true);
        foreach (var chain in chained.GroupBy(r => r.TenantId))
        {
            byte[]? previous = null;
            foreach (var row in chain.OrderBy(r => r.Seq))
            {
                (row.PrevHash is null ? previous is null : previous is not null && row.PrevHash.SequenceEqual(previous)).ShouldBeTrue($"row {row.Seq} links to the row before it");
                SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AuditCanonical.Of(row))).ShouldBe(row.RowHash, $"row {row.Seq} of chain {row.TenantId}: C# and PostgreSQL agree on its hash");
                previous = row.RowHash;
            }
        }
    }

    private async Task<List<ChainRow>> ReadAsync()
    {
        await using var conn = await OpenAsync(_db.SuperuserConnectionString);
        await using var cmd = new NpgsqlCommand("""
            select a.id, a.tenant_id, l.seq, a.occurred_at, a.actor_type, a.actor_id, a.actor_name, a.action, a.entity_type, a.entity_id, a.changes::text,
                   a.ip, a.user_agent, l.prev_hash, l.row_hash
            from audit_log a join audit_chain l on l.audit_id = a.id
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<ChainRow>();
        while (await reader.ReadAsync())
            rows.Add(new ChainRow
            {
                Id = reader.GetGuid(0), TenantId = reader.IsDBNull(1) ? null : reader.GetGuid(1), Seq = reader.GetInt64(2),
                OccurredAt = reader.GetFieldValue<DateTimeOffset>(3), ActorType = reader.GetString(4), ActorId = reader.IsDBNull(5) ? null : reader.GetGuid(5),
                ActorName = Text(reader, 6), Action = reader.GetString(7), EntityType = Text(reader, 8), EntityId = Text(reader, 9), Changes = Text(reader, 10),
                Ip = Text(reader, 11), UserAgent = Text(reader, 12), PrevHash = reader.IsDBNull(13) ? null : (byte[])reader[13], RowHash = (byte[])reader[14],
            });
        return rows;
    }

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return conn;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
