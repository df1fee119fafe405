using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Platform.Cli;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Audit;

/// <summary>
/// Each tenant's audit rows form a SHA-256 chain kept by PostgreSQL, and verification recomputes it in C# (ADR 0038).
/// Every test works in a tenant of its own: the tampering ones break their tenant's chain for good.
/// </summary>
public sealed class AuditChainTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    private readonly AuditSql _sql = new(host.Database);

    /// <summary>A new tenant whose chain holds a few rows written through the product: creates and updates of leads and an account.</summary>
    private async Task<(TestTenant Tenant, HttpClient Admin)> TenantWithHistoryAsync()
    {
        var tenant = await host.CreateTenantAsync("chain");
        var admin = await host.LoginAsync(tenant.Email("admin"));
        for (var i = 0; i < 3; i++)
        {
            var lead = await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = $"Chained {i}", company = "Acme \"Quotes\" ünïcode" });
            lead.EnsureSuccessStatusCode();
            var id = (await lead.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            (await admin.PatchAsJsonAsync($"/api/v1/leads/{id}", new { title = "Buyer", notes = "line one\nline two" })).EnsureSuccessStatusCode();
        }
        (await admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Acme Corp" })).EnsureSuccessStatusCode();
        return (tenant, admin);
    }

    [Fact]
    public async Task Rows_written_through_the_product_are_numbered_from_one_and_verify()
    {
        var (tenant, admin) = await TenantWithHistoryAsync();

        var report = await AuditSql.VerifyAsync(admin);

        var chain = await _sql.ChainAsync(tenant.Id);
        chain.Select(r => r.Seq).ShouldBe(Enumerable.Range(1, chain.Count).Select(i => (long)i));
        report.GetProperty("ok").GetBoolean().ShouldBeTrue(report.ToString());
        report.GetProperty("checked").GetInt64().ShouldBe(chain.Count);
        report.GetProperty("firstBrokenId").ValueKind.ShouldBe(JsonValueKind.Null);
        (await _sql.ScalarAsync("select count(*) from audit_chain where chain_id = $1 and (seq = 1) = (prev_hash is null)", tenant.Id)).ShouldBe(chain.Count);
    }

    [Fact]
    public async Task Editing_a_row_as_the_database_owner_breaks_the_chain_at_that_row()
    {
        var (tenant, admin) = await TenantWithHistoryAsync();
        var chain = await _sql.ChainAsync(tenant.Id);
        var edited = chain[chain.Count / 2];

        // The owner is held to row-level security and may update only the chain columns of unsealed rows; as the table's
        // owner it can lift both.
        await using (var owner = new NpgsqlConnection(host.Database.OwnerConnectionString))
        {
            await owner.OpenAsync();
            await using var tamper = new NpgsqlCommand("""
                begin;
                alter table audit_log no force row level security;
                grant update (actor_name) on audit_log to current_user;
                update audit_log set actor_name = 'somebody else' where id = $1;
                revoke update (actor_name) on audit_log from current_user;
                alter table audit_log force row level security;
                commit;
                """.Replace("$1", $"'{edited.Id}'"), owner);
            await tamper.ExecuteNonQueryAsync();
        }
        (await _sql.ScalarAsync("select count(*) from audit_log where id = $1 and actor_name = 'somebody else'", edited.Id)).ShouldBe(1);

        var report = await AuditSql.VerifyAsync(admin);

        report.GetProperty("ok").GetBoolean().ShouldBeFalse();
        report.GetProperty("firstBrokenId").GetGuid().ShouldBe(edited.Id);
        report.GetProperty("firstBrokenSeq").GetInt64().ShouldBe(edited.Seq);
        report.GetProperty("checked").GetInt64().ShouldBe(edited.Seq - 1);
        report.GetProperty("problem").GetString()!.ShouldContain("content does not match its hash");
    }

    [Fact]
    public async Task An_edited_row_given_a_fresh_hash_breaks_the_link_of_the_row_after_it()
    {
        var (tenant, admin) = await TenantWithHistoryAsync();
        var chain = await _sql.ChainAsync(tenant.Id);
        var edited = chain[2];

        await _sql.AsSuperuserAsync("""
            update audit_log set action = 'deleted' where id = $1;
            update audit_chain l set row_hash = sha256(convert_to(audit_canonical(a, l.seq, l.prev_hash), 'UTF8')) from audit_log a where a.id = l.audit_id and a.id = $1;
            """.Replace("$1", $"'{edited.Id}'"));

        var report = await AuditSql.VerifyAsync(admin);

        report.GetProperty("ok").GetBoolean().ShouldBeFalse();
        report.GetProperty("firstBrokenId").GetGuid().ShouldBe(chain[3].Id);
        report.GetProperty("problem").GetString()!.ShouldContain("link to the row before");
    }

    [Fact]
    public async Task Deleting_a_row_in_the_middle_breaks_the_chain_at_the_row_after_it()
    {
        var (tenant, admin) = await TenantWithHistoryAsync();
        var chain = await _sql.ChainAsync(tenant.Id);
        var deleted = chain[chain.Count / 2];

        (await _sql.AsSuperuserAsync("delete from audit_log where id = $1", deleted.Id)).ShouldBe(1);
        var report = await AuditSql.VerifyAsync(admin);

        report.GetProperty("ok").GetBoolean().ShouldBeFalse();
        report.GetProperty("firstBrokenId").GetGuid().ShouldBe(chain[chain.Count / 2 + 1].Id);
        report.GetProperty("checked").GetInt64().ShouldBe(deleted.Seq - 1);
        report.GetProperty("problem").GetString()!.ShouldContain("missing");
    }

    [Fact]
    public async Task Deleting_the_newest_rows_is_found_by_the_chains_head()
    {
        var (tenant, admin) = await TenantWithHistoryAsync();
        var chain = await _sql.ChainAsync(tenant.Id);

        (await _sql.AsSuperuserAsync("delete from audit_log a using audit_chain l where l.audit_id = a.id and l.chain_id = $1 and l.seq > $2", tenant.Id, chain[^3].Seq)).ShouldBe(2);
        var report = await AuditSql.VerifyAsync(admin);

        report.GetProperty("ok").GetBoolean().ShouldBeFalse();
        report.GetProperty("checked").GetInt64().ShouldBe(chain.Count - 2);
        report.GetProperty("firstBrokenId").ValueKind.ShouldBe(JsonValueKind.Null);
        report.GetProperty("problem").GetString()!.ShouldContain("newest rows are missing");
    }

    [Fact]
    public async Task Twenty_concurrent_writers_in_one_tenant_leave_an_intact_chain()
    {
        var tenant = await host.CreateTenantAsync("busy");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var connections = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _sql.RuntimeInTenantAsync(tenant.Id)));
        try
        {
            // Every writer opens its transaction first, then all insert and commit at once.
            var transactions = await Task.WhenAll(connections.Select(c => c.BeginTransactionAsync().AsTask()));
            await Task.WhenAll(connections.Select(async (conn, i) =>
            {
                await AuditSql.InsertAsync(conn, tenant.Id, "updated", DateTimeOffset.UtcNow, $$"""{"writer": {{i}}}""", transactions[i]);
                await transactions[i].CommitAsync();
            }));
            var viaApi = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => admin.PostAsJsonAsync("/api/v1/leads", new { lastName = $"Parallel {i}" })));
            viaApi.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        }
        finally
        {
            foreach (var conn in connections) await conn.DisposeAsync();
        }

        var report = await AuditSql.VerifyAsync(admin);

        var chain = await _sql.ChainAsync(tenant.Id);
        chain.Count(r => r.Action == "updated").ShouldBe(20);
        chain.Count(r => r.Action == "created").ShouldBeGreaterThanOrEqualTo(20);
        chain.Select(r => r.Seq).ShouldBe(Enumerable.Range(1, chain.Count).Select(i => (long)i));
        report.GetProperty("ok").GetBoolean().ShouldBeTrue(report.ToString());
        report.GetProperty("checked").GetInt64().ShouldBe(chain.Count);
    }

    [Fact]
    public async Task A_writer_cannot_write_the_chain_itself_and_its_rows_are_numbered_for_it()
    {
        var tenant = await host.CreateTenantAsync("forger");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var before = (await _sql.ChainAsync(tenant.Id)).Count;
        var id = Guid.CreateVersion7();

        await using (var conn = await _sql.RuntimeInTenantAsync(tenant.Id))
        {
            foreach (var sql in new[]
            {
                $"insert into audit_chain (chain_id, seq, audit_id, row_hash) values ('{tenant.Id}', {before + 1}, '{id}', '\\x00')",
                "update audit_chain set row_hash = '\\x00'", "delete from audit_chain",
            })
            {
                await using var forged = new NpgsqlCommand(sql, conn);
                (await Should.ThrowAsync<PostgresException>(() => forged.ExecuteNonQueryAsync())).SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
            }
            await using var insert = new NpgsqlCommand("insert into audit_log (id, tenant_id, occurred_at, actor_type, action) values ($1, $2, now(), 'system', 'updated')", conn)
            {
                Parameters = { new() { Value = id }, new() { Value = tenant.Id } },
            };
            await insert.ExecuteNonQueryAsync();
        }

        (await _sql.ScalarAsync("select seq from audit_chain where audit_id = $1", id)).ShouldBe(before + 1);
        (await AuditSql.VerifyAsync(admin)).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Several_platform_rows_in_one_statement_from_a_tenant_connection_are_chained_one_after_another()
    {
        var tenant = await host.CreateTenantAsync("platformrows");
        var before = await _sql.ScalarAsync("select coalesce(max(seq), 0) from audit_chain where chain_id = '00000000-0000-0000-0000-000000000000'");

        // A tenant connection cannot see platform rows, yet each row of the statement must follow the one before.
        await using (var conn = await _sql.RuntimeInTenantAsync(tenant.Id))
        await using (var insert = new NpgsqlCommand("""
            insert into audit_log (id, tenant_id, occurred_at, actor_type, action)
            select gen_random_uuid(), null, now(), 'anonymous', 'user.sign-in-failed' from generate_series(1, 3)
            """, conn))
            (await insert.ExecuteNonQueryAsync()).ShouldBe(3);
        var output = new StringWriter();
        await AuditVerification.RunAsync(host.Services, null, output, CancellationToken.None);

        (await _sql.ScalarAsync("select count(*) from audit_chain l join audit_log a on a.id = l.audit_id where a.tenant_id is null and l.chain_id = '00000000-0000-0000-0000-000000000000' and l.seq > $1", before)).ShouldBe(3);
        (await _sql.ScalarAsync("select max(seq) from audit_chain where chain_id = '00000000-0000-0000-0000-000000000000'")).ShouldBe(before + 3);
        output.ToString().ShouldMatch(@"(?m)^platform: [\d,]+ rows, intact");
    }

    [Fact]
    public async Task The_runtime_role_cannot_read_or_change_the_chain_heads()
    {
        var tenant = await host.CreateTenantAsync("heads");
        var other = await host.CreateTenantAsync("other");
        await using var conn = await _sql.RuntimeInTenantAsync(tenant.Id);

        foreach (var sql in new[] { "select count(*) from audit_chain_heads", "update audit_chain_heads set seq = 0", "delete from audit_chain_heads" })
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            (await Should.ThrowAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync())).SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        }
        await using var heads = new NpgsqlCommand("select count(*) filter (where h.chain = $1), count(*) filter (where h.chain = $2) from (select $1::uuid as chain, * from audit_chain_head($1) union all select $2::uuid, * from audit_chain_head($2)) h", conn)
        {
            Parameters = { new() { Value = tenant.Id }, new() { Value = other.Id } },
        };
        await using var reader = await heads.ExecuteReaderAsync();
        await reader.ReadAsync();
        (reader.GetInt64(0), reader.GetInt64(1)).ShouldBe((1L, 0L), "a tenant reads its own chain's head, never another tenant's");
    }

    [Fact]
    public async Task Verifying_is_for_administrators()
    {
        var tenant = await host.CreateTenantAsync("managers");
        using var manager = await host.LoginAsync(tenant.Email("manager"));

        (await manager.GetAsync("/api/v1/audit/verify")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_verify_command_checks_every_chain_and_exits_1_naming_the_first_broken_row()
    {
        var (intact, _) = await TenantWithHistoryAsync();
        var (broken, _) = await TenantWithHistoryAsync();
        var tampered = (await _sql.ChainAsync(broken.Id))[1];
        await _sql.AsSuperuserAsync("update audit_log set ip = '203.0.113.9' where id = $1", tampered.Id);

        var all = new StringWriter();
        var exitAll = await AuditVerification.RunAsync(host.Services, null, all, CancellationToken.None);
        var one = new StringWriter();
        var exitOne = await AuditVerification.RunAsync(host.Services, intact.Slug, one, CancellationToken.None);

        exitAll.ShouldBe(1);
        all.ToString().ShouldContain($"tenant {broken.Slug}: BROKEN after 1 intact rows. Row 2 ({tampered.Id}): its content does not match its hash.");
        all.ToString().ShouldMatch($@"tenant {intact.Slug}: \d+ rows, intact \(head [0-9a-f]{{64}}\)");
        all.ToString().ShouldMatch(@"platform: \d+ rows, intact");
        exitOne.ShouldBe(0);
        one.ToString().ShouldNotContain(broken.Slug);
        one.ToString().ShouldContain("chain(s): all intact.");
    }

    [Fact]
    public async Task The_audit_command_without_verify_or_with_an_unknown_tenant_says_what_is_wrong()
    {
        var errors = new StringWriter();

        (await SwitchboardCli.RunAsync(["audit"], errors)).ShouldBe(1);
        (await Should.ThrowAsync<CliException>(() => AuditVerification.RunAsync(host.Services, "no-such-tenant", TextWriter.Null, CancellationToken.None)))
            .Message.ShouldBe("No tenant has the slug 'no-such-tenant'.");

        errors.ToString().ShouldContain("audit verify [--tenant SLUG]");
    }
}
