using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Switchboard.Features.Audit;
using Switchboard.Platform.Database;
using Switchboard.Platform.Jobs;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Audit;

/// <summary>
/// The app on a <see cref="FakeTimeProvider"/> that starts 800 days ago: the tenants are created then, so their first
/// audit rows are past a year's retention once the clock is moved to today. The job worker is off: tests run the
/// retention jobs themselves, as the worker would. The purge compares with the database's clock (now()).
/// </summary>
public sealed class AuditRetentionHost : SwitchboardHost
{
    public static readonly TimeSpan Age = TimeSpan.FromDays(800);

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()) - Age);

    public TestTenant Purged { get; private set; } = null!;
    public TestTenant Kept { get; private set; } = null!;
    public TestTenant Guarded { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Purged = await CreateTenantAsync("purged");
        Kept = await CreateTenantAsync("kept");
        Guarded = await CreateTenantAsync("guarded");
        Clock.Advance(Age);
    }

    public async Task<IReadOnlyList<Job>> JobsAsync(string kind)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Jobs.AsNoTracking()
            .Where(j => j.Kind == kind).OrderBy(j => j.RunAt).ToListAsync();
    }
}

/// <summary>Per-tenant audit retention (ADR 0038): admins set it, a daily job purges through PostgreSQL, and the chain still verifies.</summary>
public sealed class AuditRetentionTests(AuditRetentionHost host) : IClassFixture<AuditRetentionHost>
{
    private readonly AuditSql _sql = new(host.Database);

    private static async Task<HttpResponseMessage> SetRetentionAsync(HttpClient admin, object? days) =>
        await admin.PatchAsJsonAsync("/api/v1/audit/retention", new Dictionary<string, object?> { ["retentionDays"] = days });

    [Theory]
    [InlineData(364)]
    [InlineData(0)]
    [InlineData(36_501)]
    public async Task Retention_outside_a_year_to_a_hundred_years_is_refused_with_a_field_message(int days)
    {
        using var admin = await host.LoginAsync(host.Kept.Email("admin"));

        var response = await SetRetentionAsync(admin, days);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("retentionDays")[0].GetString().ShouldBe("Keep audit events for 365 to 36,500 days, or leave it empty to keep them for ever.");
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/retention")).GetProperty("retentionDays").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Only_administrators_see_or_set_the_retention()
    {
        using var manager = await host.LoginAsync(host.Kept.Email("manager"));

        (await manager.GetAsync("/api/v1/audit/retention")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await SetRetentionAsync(manager, 400)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_daily_purge_deletes_the_rows_past_retention_records_it_and_the_chain_still_verifies()
    {
        using var admin = await host.LoginAsync(host.Purged.Email("admin"));
        (await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Recent" })).EnsureSuccessStatusCode();
        var set = await SetRetentionAsync(admin, 365);
        set.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retentionDays").GetInt32().ShouldBe(365);
        var before = await _sql.ChainAsync(host.Purged.Id);
        var old = await _sql.ScalarAsync("select count(*) from audit_log where tenant_id = $1 and occurred_at < now() - interval '365 days'", host.Purged.Id);
        old.ShouldBeGreaterThan(0);

        await RunTodaysSweepAndPurgesAsync(host.Purged.Id);

        var after = await _sql.ChainAsync(host.Purged.Id);
        after.SkipLast(1).Select(r => r.Id).ShouldBe(before.Skip((int)old).Select(r => r.Id));
        after[0].Seq.ShouldBe(old + 1);
        var purged = after[^1];
        purged.Action.ShouldBe("audit.purged");
        (await _sql.ScalarAsync("select (changes->>'rows')::bigint from audit_log where id = $1", purged.Id)).ShouldBe(old);
        (await _sql.ScalarAsync("select (changes->>'throughSeq')::bigint from audit_log where id = $1", purged.Id)).ShouldBe(old);
        var report = await AuditSql.VerifyAsync(admin);
        report.GetProperty("ok").GetBoolean().ShouldBeTrue(report.ToString());
        report.GetProperty("checked").GetInt64().ShouldBe(after.Count);

        await RunTodaysSweepAndPurgesAsync(host.Purged.Id); // a second run the same day, or a retried job, finds nothing due
        (await _sql.ChainAsync(host.Purged.Id)).Count(r => r.Action == "audit.purged").ShouldBe(1);
    }

    [Fact]
    public async Task A_tenant_that_keeps_its_events_for_ever_loses_none()
    {
        using var admin = await host.LoginAsync(host.Kept.Email("admin"));
        var before = await _sql.ChainAsync(host.Kept.Id);

        await RunTodaysSweepAndPurgesAsync(host.Kept.Id);
        await JobRuns.RunAsync<AuditPurge>(host.Services, new Job { Kind = AuditPurge.JobKind, Payload = JsonDocument.Parse("{}"), TenantId = host.Kept.Id });

        (await _sql.ChainAsync(host.Kept.Id)).Select(r => r.Id).ShouldBe(before.Select(r => r.Id));
        (await AuditSql.VerifyAsync(admin)).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Rows_inside_the_retention_cannot_be_deleted_even_by_the_owner_and_expired_ones_deleted_by_hand_break_the_chain()
    {
        using var admin = await host.LoginAsync(host.Guarded.Email("admin"));
        (await SetRetentionAsync(admin, 365)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Guarded" })).EnsureSuccessStatusCode();
        var chain = await _sql.ChainAsync(host.Guarded.Id);
        var expired = await _sql.ScalarAsync("select count(*) from audit_log where tenant_id = $1 and occurred_at < now() - interval '365 days'", host.Guarded.Id);

        await using var runtime = await _sql.RuntimeInTenantAsync(host.Guarded.Id);
        await using (var delete = new NpgsqlCommand("delete from audit_log", runtime))
            (await Should.ThrowAsync<PostgresException>(() => delete.ExecuteNonQueryAsync())).SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        // The owner has the delete privilege (for the purge function), but the policy lets it reach only expired rows.
        await using var owner = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await owner.OpenAsync();
        await using (var delete = new NpgsqlCommand($"select set_config('app.tenant_id', '{host.Guarded.Id}', false); delete from audit_log a using audit_chain l where l.audit_id = a.id and l.seq > 1", owner))
            (await delete.ExecuteNonQueryAsync()).ShouldBe((int)expired - 1);

        var report = await AuditSql.VerifyAsync(admin);

        (await _sql.ChainAsync(host.Guarded.Id)).Count.ShouldBe(chain.Count - ((int)expired - 1));
        report.GetProperty("ok").GetBoolean().ShouldBeFalse("rows deleted outside the purge leave no anchor");
        report.GetProperty("firstBrokenId").GetGuid().ShouldBe(chain[(int)expired].Id);
        // Nor will the purge anchor the chain over the gap: it stops, and the break stays for verification to show.
        (await Should.ThrowAsync<PostgresException>(() => JobRuns.RunAsync<AuditPurge>(host.Services,
            new Job { Kind = AuditPurge.JobKind, Payload = JsonDocument.Parse("{}"), TenantId = host.Guarded.Id }))).MessageText.ShouldContain("is missing");
    }

    [Fact]
    public async Task Starting_the_app_schedules_that_days_sweep_and_each_sweep_schedules_the_next_days()
    {
        var today = DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime);
        var startDay = DateOnly.FromDateTime((host.Clock.GetUtcNow() - AuditRetentionHost.Age).UtcDateTime);
        await RunTodaysSweepAndPurgesAsync();

        var sweeps = await host.JobsAsync(AuditRetentionSweep.JobKind);

        sweeps.Select(j => j.IdempotencyKey).ShouldContain($"audit.retention-sweep:{startDay:yyyy-MM-dd}");
        sweeps.Select(j => j.IdempotencyKey).ShouldContain($"audit.retention-sweep:{today.AddDays(1):yyyy-MM-dd}");
        sweeps.Single(j => j.IdempotencyKey == $"audit.retention-sweep:{today.AddDays(1):yyyy-MM-dd}").RunAt
            .ShouldBe(new DateTimeOffset(today.AddDays(1).ToDateTime(new TimeOnly(3, 0)), TimeSpan.Zero));
        (await host.JobsAsync(AuditPurge.JobKind)).Where(j => j.IdempotencyKey!.EndsWith($":{today:yyyy-MM-dd}", StringComparison.Ordinal))
            .Select(j => j.TenantId).ShouldNotContain(host.Kept.Id, "a tenant that keeps its events for ever needs no purge");
    }

    /// <summary>
    /// Schedules today's sweep as a start does (this app started on the clock's past day), runs it, then the purges it
    /// queued for today of <paramref name="tenants"/> (tests of other tenants leave their chains as they need them).
    /// </summary>
    private async Task RunTodaysSweepAndPurgesAsync(params Guid[] tenants)
    {
        var today = DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime);
        await using (var scope = host.Services.CreateAsyncScope())
            await AuditRetentionSweep.ScheduleAsync(scope.ServiceProvider.GetRequiredService<JobQueue>(), today, CancellationToken.None);
        var sweep = (await host.JobsAsync(AuditRetentionSweep.JobKind)).Single(j => j.IdempotencyKey == $"audit.retention-sweep:{today:yyyy-MM-dd}");
        await JobRuns.RunAsync<AuditRetentionSweep>(host.Services, sweep);
        foreach (var purge in (await host.JobsAsync(AuditPurge.JobKind))
                     .Where(j => j.IdempotencyKey!.EndsWith($":{today:yyyy-MM-dd}", StringComparison.Ordinal) && tenants.Contains(j.TenantId!.Value)))
            await JobRuns.RunAsync<AuditPurge>(host.Services, purge);
    }
}
