using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Audit;

/// <summary>
/// Audit rows are numbered and hashed when their transaction commits (ADR 0041), so writing one takes no lock that
/// another transaction could be waiting for: the interleavings below deadlocked or blocked when the chain's lock was
/// taken at insert (ADR 0038). Every test works in a tenant of its own.
/// </summary>
public sealed class AuditSealTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    private readonly AuditSql _sql = new(host.Database);

    [Fact]
    public async Task A_transaction_that_wrote_an_audit_row_and_then_waits_for_a_row_lock_does_not_deadlock_with_the_holder()
    {
        var tenant = await host.CreateTenantAsync("seal-lock");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var lead = await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Contended" });
        var leadId = (await lead.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var first = await WithLockTimeoutAsync(await _sql.RuntimeInTenantAsync(tenant.Id));
        await using var second = await WithLockTimeoutAsync(await _sql.RuntimeInTenantAsync(tenant.Id));
        await using var firstTx = await first.BeginTransactionAsync();
        await using var secondTx = await second.BeginTransactionAsync();

        // The first writes its audit row; the second locks the lead and writes its own (with the chain locked at insert,
        // it waited for the first here); the first then waits for the lead until the second commits.
        await AuditSql.InsertAsync(first, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "first"}""", firstTx);
        await ExecuteAsync(second, secondTx, "update leads set notes = 'second' where id = $1", leadId);
        await AuditSql.InsertAsync(second, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "second"}""", secondTx);
        var firstWaits = ExecuteAsync(first, firstTx, "update leads set notes = 'first' where id = $1", leadId);
        await secondTx.CommitAsync();
        await firstWaits;
        await firstTx.CommitAsync();

        var chain = await _sql.ChainAsync(tenant.Id);
        chain.Select(r => r.Seq).ShouldBe(Enumerable.Range(1, chain.Count).Select(i => (long)i));
        (await _sql.ScalarAsync("select count(*) from audit_log where tenant_id = $1 and changes ? 'writer'", tenant.Id)).ShouldBe(2);
        (await AuditSql.VerifyAsync(admin)).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_transaction_left_open_after_an_audit_row_does_not_hold_up_the_tenants_other_writers()
    {
        var tenant = await host.CreateTenantAsync("seal-long");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await using var slow = await _sql.RuntimeInTenantAsync(tenant.Id);
        await using var quick = await WithLockTimeoutAsync(await _sql.RuntimeInTenantAsync(tenant.Id));
        await using var slowTx = await slow.BeginTransactionAsync();
        await AuditSql.InsertAsync(slow, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "slow"}""", slowTx);

        // Were the chain locked from the slow transaction's insert, this insert would wait for it and hit the lock timeout.
        await AuditSql.InsertAsync(quick, tenant.Id, "updated", DateTimeOffset.UtcNow.AddSeconds(1), """{"writer": "quick"}""");
        var viaApi = await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Not held up" });
        viaApi.EnsureSuccessStatusCode();
        await slowTx.CommitAsync();

        // Rows are numbered in the order their transactions committed, whatever their occurred_at.
        var writers = await WritersInChainOrderAsync(tenant.Id);
        writers.ShouldBe(["quick", "slow"]);
        (await AuditSql.VerifyAsync(admin)).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Two_transactions_writing_a_tenant_chain_and_the_platform_chain_in_opposite_orders_both_commit()
    {
        var tenant = await host.CreateTenantAsync("seal-order");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await using var one = await WithLockTimeoutAsync(await _sql.RuntimeInTenantAsync(tenant.Id));
        await using var two = await WithLockTimeoutAsync(await _sql.RuntimeInTenantAsync(tenant.Id));
        await using var oneTx = await one.BeginTransactionAsync();
        await using var twoTx = await two.BeginTransactionAsync();

        await AuditSql.InsertAsync(one, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "one"}""", oneTx);
        await InsertPlatformRowAsync(two, twoTx);
        await InsertPlatformRowAsync(one, oneTx);
        await AuditSql.InsertAsync(two, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "two"}""", twoTx);
        await Task.WhenAll(oneTx.CommitAsync(), twoTx.CommitAsync());

        (await WritersInChainOrderAsync(tenant.Id)).Order().ShouldBe(["one", "two"]);
        (await AuditSql.VerifyAsync(admin)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        var output = new StringWriter();
        (await Switchboard.Platform.Cli.AuditVerification.RunAsync(host.Services, null, output, CancellationToken.None)).ShouldBe(0, output.ToString());
    }

    [Fact]
    public async Task Rows_of_a_rolled_back_savepoint_or_transaction_leave_no_gap_in_the_numbers()
    {
        var tenant = await host.CreateTenantAsync("seal-rollback");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await using var conn = await _sql.RuntimeInTenantAsync(tenant.Id);

        await using (var rolledBack = await conn.BeginTransactionAsync())
        {
            await AuditSql.InsertAsync(conn, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "rolled back"}""", rolledBack);
            await rolledBack.RollbackAsync();
        }
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await AuditSql.InsertAsync(conn, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "kept 1"}""", tx);
            await tx.SaveAsync("s");
            await AuditSql.InsertAsync(conn, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "undone"}""", tx);
            await tx.RollbackAsync("s");
            await AuditSql.InsertAsync(conn, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "kept 2"}""", tx);
            await tx.CommitAsync();
        }

        (await WritersInChainOrderAsync(tenant.Id)).ShouldBe(["kept 1", "kept 2"]);
        var chain = await _sql.ChainAsync(tenant.Id);
        chain.Select(r => r.Seq).ShouldBe(Enumerable.Range(1, chain.Count).Select(i => (long)i));
        (await AuditSql.VerifyAsync(admin)).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_row_written_with_the_chains_triggers_switched_off_is_reported_by_verification()
    {
        var tenant = await host.CreateTenantAsync("seal-off");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var id = Guid.CreateVersion7();

        // session_replication_role = replica skips ordinary and constraint triggers alike (what a restore tool may do).
        await _sql.AsSuperuserAsync($"""
            set session_replication_role = replica;
            insert into audit_log (id, tenant_id, occurred_at, actor_type, action) values ('{id}', '{tenant.Id}', now(), 'system', 'updated');
            set session_replication_role = origin;
            """);
        var report = await AuditSql.VerifyAsync(admin);

        report.GetProperty("ok").GetBoolean().ShouldBeFalse();
        report.GetProperty("firstBrokenId").GetGuid().ShouldBe(id);
        report.GetProperty("problem").GetString()!.ShouldContain("never sealed");
    }

    [Fact]
    public async Task Verifying_while_writers_commit_reads_the_chain_as_of_one_moment()
    {
        var tenant = await host.CreateTenantAsync("seal-busy");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            await using var conn = await _sql.RuntimeInTenantAsync(tenant.Id);
            var written = 0;
            while (!stop.IsCancellationRequested)
            {
                await AuditSql.InsertAsync(conn, tenant.Id, "updated", DateTimeOffset.UtcNow, $$"""{"writer": "busy {{written}}"}""");
                written++;
            }
            return written;
        });

        var reports = new List<JsonElement>();
        for (var i = 0; i < 15; i++) reports.Add(await AuditSql.VerifyAsync(admin));
        await stop.CancelAsync();
        var written = await writer;

        written.ShouldBeGreaterThan(0);
        reports.Where(r => !r.GetProperty("ok").GetBoolean()).Select(r => r.ToString()).ShouldBeEmpty();
        (await AuditSql.VerifyAsync(admin)).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_commit_whose_chain_is_busy_does_not_wait_and_the_next_commit_seals_its_row_first()
    {
        var tenant = await host.CreateTenantAsync("seal-busy-lock");
        await using var writer = await WithLockTimeoutAsync(await _sql.RuntimeInTenantAsync(tenant.Id));
        await using (var holder = await HoldChainLockAsync(tenant.Id))
        {
            // With the lock taken at commit (ADR 0041) this commit waited for the holder and hit the lock timeout.
            await AuditSql.InsertAsync(writer, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "while busy"}""");

            (await _sql.ScalarAsync("select count(*) from audit_backlog where chain_id = $1", tenant.Id)).ShouldBe(1);
            (await WritersInChainOrderAsync(tenant.Id, sealBacklogFirst: false)).ShouldBeEmpty();
        }

        await AuditSql.InsertAsync(writer, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "after"}""");

        // Usually this commit seals the backlog and then its own row; when the instance's sweep holds the lock at that
        // moment, the commit queues behind the backlog and the sweep seals both, in the same order.
        var writers = await Eventually.Until(() => WritersInChainOrderAsync(tenant.Id, sealBacklogFirst: false), w => w.Count == 2,
            TimeSpan.FromSeconds(10), "both rows in the chain");
        writers.ShouldBe(["while busy", "after"]);
        (await _sql.ScalarAsync("select count(*) from audit_backlog where chain_id = $1", tenant.Id)).ShouldBe(0);
        var chain = await _sql.ChainAsync(tenant.Id);
        chain.Select(r => r.Seq).ShouldBe(Enumerable.Range(1, chain.Count).Select(i => (long)i));
        (await _sql.ScalarAsync("select seq from audit_chain_heads where chain_id = $1", tenant.Id)).ShouldBe(chain.Count);
    }

    [Fact]
    public async Task A_backlog_left_by_the_last_commit_before_a_quiet_spell_is_sealed_by_the_sweep()
    {
        var tenant = await host.CreateTenantAsync("seal-sweep");
        await using var writer = await _sql.RuntimeInTenantAsync(tenant.Id);
        await using (await HoldChainLockAsync(tenant.Id))
            await AuditSql.InsertAsync(writer, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "last before quiet"}""");

        // No other commit follows: the host's sweep (every second) is what seals it.
        var sealedBy = DateTime.UtcNow.AddSeconds(30);
        while (await _sql.ScalarAsync("select count(*) from audit_backlog where chain_id = $1", tenant.Id) > 0 && DateTime.UtcNow < sealedBy)
            await Task.Delay(100);

        (await WritersInChainOrderAsync(tenant.Id, sealBacklogFirst: false)).ShouldBe(["last before quiet"]);
    }

    [Fact]
    public async Task Verification_seals_the_backlog_before_it_checks_so_a_row_waiting_for_its_seal_is_not_reported()
    {
        var tenant = await host.CreateTenantAsync("seal-verify-backlog");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await using var writer = await _sql.RuntimeInTenantAsync(tenant.Id);
        var before = (await AuditSql.VerifyAsync(admin)).GetProperty("checked").GetInt64();
        Task<JsonElement> verifying;
        await using (await HoldChainLockAsync(tenant.Id))
        {
            await AuditSql.InsertAsync(writer, tenant.Id, "updated", DateTimeOffset.UtcNow, """{"writer": "waiting"}""");
            verifying = AuditSql.VerifyAsync(admin); // waits for the chain's lock, then seals the backlog
        }
        var report = await verifying;

        report.GetProperty("ok").GetBoolean().ShouldBeTrue(report.ToString());
        report.GetProperty("checked").GetInt64().ShouldBe(before + 1);
    }

    /// <summary>
    /// The "writer" of each of the tenant's test rows, in chain order; by default once rows that committed while the
    /// chain's lock was busy are sealed (ADR 0049), as verification does.
    /// </summary>
    private async Task<IReadOnlyList<string>> WritersInChainOrderAsync(Guid tenantId, bool sealBacklogFirst = true)
    {
        await using var conn = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await conn.OpenAsync();
        if (sealBacklogFirst) await ExecuteAsync(conn, null, "select audit_seal_backlogs($1, true)", tenantId);
        await using var cmd = new NpgsqlCommand("select a.changes->>'writer' from audit_chain l join audit_log a on a.id = l.audit_id where l.chain_id = $1 and a.changes ? 'writer' order by l.seq", conn)
        {
            Parameters = { new() { Value = tenantId } },
        };
        await using var reader = await cmd.ExecuteReaderAsync();
        var writers = new List<string>();
        while (await reader.ReadAsync()) writers.Add(reader.GetString(0));
        return writers;
    }

    /// <summary>
    /// Holds the tenant's chain lock, as a seal in progress or the retention purge does, until the connection is disposed
    /// (unpooled: a pooled connection would keep its session, and the lock, until its next use).
    /// </summary>
    private async Task<NpgsqlConnection> HoldChainLockAsync(Guid tenantId)
    {
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(host.Database.SuperuserConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await ExecuteAsync(conn, null, "select pg_advisory_lock(1635087725, hashtext($1::text))", tenantId);
        return conn;
    }

    /// <summary>
    /// A wait for a lock fails after 5 s instead of hanging the test: where the old design blocked, the test fails.
    /// </summary>
    private static async Task<NpgsqlConnection> WithLockTimeoutAsync(NpgsqlConnection conn)
    {
        await ExecuteAsync(conn, null, "set lock_timeout = '5s'");
        return conn;
    }

    private static async Task InsertPlatformRowAsync(NpgsqlConnection conn, NpgsqlTransaction tx)
    {
        await using var cmd = new NpgsqlCommand(
            "insert into audit_log (id, tenant_id, occurred_at, actor_type, action) values (gen_random_uuid(), null, now(), 'anonymous', 'user.sign-in-failed')", conn, tx);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var value in values) cmd.Parameters.Add(new() { Value = value });
        await cmd.ExecuteNonQueryAsync();
    }
}
