using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Platform.Database;
using Switchboard.Platform.Jobs;
using Switchboard.Platform.Observability;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Observability;

/// <summary>
/// GET /api/v1/status: superadmins read the build, the migrations, the backlogs, replication and the instances seen
/// in the last minute; anyone else gets 403, as for the other platform endpoints.
/// </summary>
public sealed class StatusApiTests(StatusApiTests.Host host) : IClassFixture<StatusApiTests.Host>
{
    public sealed class Host : SwitchboardHostWithTenant
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Observability:HeartbeatSeconds"] = "1" };
    }

    [Fact]
    public async Task A_superadmin_reads_the_build_the_migrations_and_this_instance()
    {
        var superadmin = await host.As("superadmin");

        var status = await Eventually.Until(() => superadmin.GetFromJsonAsync<JsonElement>("/api/v1/status"),
            s => s.GetProperty("instances").GetArrayLength() > 0, TimeSpan.FromSeconds(20), "this instance's heartbeat");

        status.GetProperty("version").GetString().ShouldBe(BuildInfo.Version);
        status.GetProperty("commit").GetString().ShouldNotBeNullOrEmpty();
        var migrations = status.GetProperty("migrations");
        var embedded = await host.Services.GetRequiredService<MigrationRunner>().StatusAsync(host.Database.RuntimeConnectionString);
        migrations.GetProperty("applied").GetInt32().ShouldBe(embedded.Count);
        var last = embedded.MaxBy(m => m.Version)!;
        migrations.GetProperty("last").GetString().ShouldBe($"{last.Version:D4}_{last.Name}");
        var instance = host.Services.GetRequiredService<AppInstance>();
        var listed = status.GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == instance.Id);
        listed.GetProperty("isThisInstance").GetBoolean().ShouldBeTrue();
        listed.GetProperty("pid").GetInt32().ShouldBe(Environment.ProcessId);
        // The test cluster has no standby: no replication to report.
        status.GetProperty("replication").ValueKind.ShouldBe(JsonValueKind.Null);
        // Every test host names its own server as the standby (ADR 0070).
        status.GetProperty("standbyReads").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task The_job_backlog_counts_waiting_jobs_per_kind_and_how_long_the_oldest_due_one_has_waited()
    {
        var kind = "status-probe-" + Guid.NewGuid().ToString("N")[..8];
        var superadmin = await host.As("superadmin");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<JobQueue>();
            (await queue.EnqueueNowAsync(kind, new { probe = 1 }, null, runAt: DateTimeOffset.UtcNow.AddDays(1))).ShouldBeTrue();
            (await queue.EnqueueNowAsync(kind, new { probe = 2 }, null, runAt: DateTimeOffset.UtcNow.AddDays(2))).ShouldBeTrue();
        }
        // A due job of a kind no worker handles would be claimed (and failed); one that waits is written as a stalled queue
        // looks: due an hour ago, held under a lease that has not expired.
        await using (var connection = new NpgsqlConnection(host.Database.OwnerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                insert into jobs (id, kind, payload, run_at, locked_by, locked_until, created_at)
                values (gen_random_uuid(), $1, '{}', now() - interval '1 hour', 'elsewhere', now() + interval '1 hour', now())
                """, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = kind });
            await command.ExecuteNonQueryAsync();
        }

        var status = await superadmin.GetFromJsonAsync<JsonElement>("/api/v1/status");

        var jobs = status.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("kind").GetString() == kind);
        jobs.GetProperty("depth").GetInt64().ShouldBe(3);
        jobs.GetProperty("due").GetInt64().ShouldBe(1);
        jobs.GetProperty("oldestDueAgeSeconds").GetDouble().ShouldBeInRange(3000, 4000);
        status.GetProperty("outboxes").EnumerateArray().Select(o => o.GetProperty("queue").GetString())
            .ShouldBe(["email", "outreach", "webhook"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("agent")]
    public async Task A_tenant_member_is_refused_the_platform_status(string role)
    {
        var client = await host.As(role);
        (await client.GetAsync("/api/v1/status")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_anonymous_caller_is_refused_the_platform_status()
    {
        using var anonymous = host.CreateClient();
        (await anonymous.GetAsync("/api/v1/status")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
