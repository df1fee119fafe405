using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Features.Retention;
using Switchboard.Platform.Database;
using Switchboard.Platform.Jobs;
using Switchboard.Testing;
using Switchboard.Tests.Features.Audit;

namespace Switchboard.Tests.Features.Retention;

/// <summary>
/// The app on a <see cref="FakeTimeProvider"/> that starts 800 days ago, so the tenants' first audit rows are old once
/// the clock moves to today (as <see cref="AuditRetentionHost"/> does). The job worker is off: tests run the jobs.
/// The platform's audit minimum is 400 days here, to show it is the configured value that holds, not the built-in 365.
/// Batches are of 2 rows, so every class takes several.
/// </summary>
public sealed class RetentionHost : SwitchboardHost
{
    public static readonly TimeSpan Age = TimeSpan.FromDays(800);

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()) - Age);

    public TestTenant Applied { get; private set; } = null!;
    public TestTenant Untouched { get; private set; } = null!;
    public TestTenant Nightly { get; private set; } = null!;
    public TestTenant Settings { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "false", ["Retention:AuditMinimumDays"] = "400", ["Retention:BatchSize"] = "2",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Applied = await CreateTenantAsync("applied");
        Untouched = await CreateTenantAsync("untouched");
        Nightly = await CreateTenantAsync("nightly");
        Settings = await CreateTenantAsync("settings");
        Clock.Advance(Age);
    }

    public Task<string> RunCommandAsync(params string[] args) => RunCommandAsync(Services, args);

    /// <summary><c>switchboard retention</c> with these arguments, in the app of <paramref name="services"/>; its output.</summary>
    public static async Task<string> RunCommandAsync(IServiceProvider services, params string[] args)
    {
        await using var scope = services.CreateAsyncScope();
        var command = ActivatorUtilities.CreateInstance<RetentionCommand>(scope.ServiceProvider);
        var output = new StringWriter();
        (await command.RunAsync(args, output, CancellationToken.None)).ShouldBe(0);
        return output.ToString();
    }
}

/// <summary>Retention per tenant (ADR 0066): settings through the API, dry run and execute from the command line, the nightly job.</summary>
public sealed class RetentionTests(RetentionHost host) : IClassFixture<RetentionHost>
{
    private readonly RetentionSeed _seed = new(host.Database);

    /// <summary>A different limit per class, so a row can be past one class's and inside another's.</summary>
    public static readonly object Settings = new
    {
        recordingsDays = 30, transcriptsDays = 60, callLogsDays = 365, emailBodiesDays = 365, closedTicketsDays = 180, deletedRecordsDays = 90,
        auditEntriesDays = 400,
    };

    [Fact]
    public async Task A_dry_run_counts_exactly_what_the_execute_then_removes_and_nothing_inside_the_window_or_of_another_tenant_is_touched()
    {
        using var admin = await host.LoginAsync(host.Applied.Email("admin"));
        using var otherAdmin = await host.LoginAsync(host.Untouched.Email("admin"));
        foreach (var (tenant, client) in new[] { (host.Applied, admin), (host.Untouched, otherAdmin) })
        {
            await _seed.SeedAsync(tenant.Id, host.Clock.GetUtcNow());
            (await client.PutAsJsonAsync("/api/v1/settings/retention", Settings)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var auditDue = await _seed.ScalarAsync("select count(*) from audit_log where tenant_id = $1 and occurred_at < now() - interval '400 days'", host.Applied.Id);
        auditDue.ShouldBeGreaterThan(0);
        var before = await _seed.StateAsync(host.Applied.Id);
        var otherBefore = await _seed.StateAsync(host.Untouched.Id);

        var preview = await host.RunCommandAsync("--dry-run", "--tenant", host.Applied.Slug);

        preview.ShouldContain($"tenant {host.Applied.Slug}:");
        preview.ShouldNotContain(host.Untouched.Slug);
        var previewed = await LastRunAsync(host.Applied.Id, "retention.previewed");
        foreach (var (key, rows) in RetentionSeed.Expected) Rows(previewed, key).ShouldBe(rows, key);
        Rows(previewed, "auditEntries").ShouldBe(auditDue);
        var previewedState = await _seed.StateAsync(host.Applied.Id);
        foreach (var (key, count) in before)
            previewedState[key].ShouldBe(key == "auditEntries" ? count + 1 : count, $"a dry run removes nothing, and adds only its own audit row ({key})");

        var executed = await host.RunCommandAsync("--execute", "--tenant", host.Applied.Slug);

        executed.ShouldContain("removed");
        var applied = await LastRunAsync(host.Applied.Id, "retention.applied");
        foreach (var key in RetentionSeed.Expected.Keys.Append("auditEntries")) Rows(applied, key).ShouldBe(Rows(previewed, key), key);
        applied.GetProperty("trigger").GetString().ShouldBe("cli");
        var after = await _seed.StateAsync(host.Applied.Id);
        after["recordings"].ShouldBe(before["recordings"] - 4, "one call of 10 days keeps its recording");
        after["recordings"].ShouldBe(1);
        after["transcripts"].ShouldBe(1);
        after["calls"].ShouldBe(before["calls"] - 2);
        after["callEvents"].ShouldBe(before["callEvents"] - 2, "the deleted calls' events go with them");
        after["emailBodies"].ShouldBe(before["emailBodies"] - 3);
        after["emails"].ShouldBe(before["emails"] - 1);
        after["tickets"].ShouldBe(before["tickets"] - 1);
        (await _seed.ScalarAsync("select count(*) from calls where tenant_id = $1 and status = 'in-progress'", host.Applied.Id)).ShouldBe(1, "a call in progress is never a log to delete");
        (await _seed.ScalarAsync("select count(*) from outreach_emails where tenant_id = $1 and status = 'queued' and text_body is not null", host.Applied.Id)).ShouldBe(1);
        (await _seed.ScalarAsync("select count(*) from jobs where kind = 'recording.delete' and tenant_id = $1 and payload->>'recordingUrl' like 'https://recordings.example/%'",
            host.Applied.Id)).ShouldBe(4, "each recording whose link was cleared is queued for deletion at its provider (ADR 0071)");
        (await _seed.ScalarAsync("select count(*) from jobs where kind = 'recording.delete' and tenant_id = $1", host.Untouched.Id)).ShouldBe(0);
        var otherAfter = await _seed.StateAsync(host.Untouched.Id);
        foreach (var (key, count) in otherBefore) otherAfter[key].ShouldBe(count, $"another tenant's {key}");

        var report = await AuditSql.VerifyAsync(admin);
        report.GetProperty("ok").GetBoolean().ShouldBeTrue(report.ToString());
        (await _seed.ScalarAsync("select min(seq) from audit_chain where chain_id = $1", host.Applied.Id)).ShouldBe(auditDue + 1, "the chain now starts after the purged prefix");

        await host.RunCommandAsync("--execute", "--tenant", host.Applied.Slug);
        var again = await LastRunAsync(host.Applied.Id, "retention.applied");
        foreach (var key in RetentionSeed.Expected.Keys.Append("auditEntries")) Rows(again, key).ShouldBe(0, key);
        (await _seed.ScalarAsync("select count(*) from jobs where kind = 'recording.delete' and tenant_id = $1", host.Applied.Id)).ShouldBe(4, "nothing is queued twice");
        (await AuditSql.VerifyAsync(admin)).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Audit_retention_below_the_configured_minimum_is_refused_with_the_field_named()
    {
        using var admin = await host.LoginAsync(host.Settings.Email("admin"));

        var refused = await admin.PutAsJsonAsync("/api/v1/settings/retention", new { auditEntriesDays = 399 });

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("auditEntriesDays")[0].GetString()
            .ShouldBe("Keep audit entries for 400 to 36,500 days (the legal minimum is 400), or leave it empty to keep them for ever.");
        var current = await admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/retention");
        current.GetProperty("auditEntriesDays").ValueKind.ShouldBe(JsonValueKind.Null);
        current.GetProperty("auditMinimumDays").GetInt32().ShouldBe(400);
        await AuditSql.ShouldBeInvalidOnAsync(await admin.PutAsJsonAsync("/api/v1/settings/retention", new { recordingsDays = 0 }), "recordingsDays");
        // The audit log's own endpoint (ADR 0038) holds the same configured minimum.
        await AuditSql.ShouldBeInvalidOnAsync(await admin.PatchAsJsonAsync("/api/v1/audit/retention", new { retentionDays = 399 }), "retentionDays");
        (await admin.PutAsJsonAsync("/api/v1/settings/retention", new { auditEntriesDays = 400 })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Saving_the_retention_is_audited_and_only_administrators_may_see_or_change_it()
    {
        using var admin = await host.LoginAsync(host.Settings.Email("admin"));
        using var manager = await host.LoginAsync(host.Settings.Email("manager"));

        (await manager.GetAsync("/api/v1/settings/retention")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await manager.PutAsJsonAsync("/api/v1/settings/retention", new { recordingsDays = 30 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var saved = await admin.PutAsJsonAsync("/api/v1/settings/retention", new { recordingsDays = 30, closedTicketsDays = 730 });

        saved.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await saved.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("recordingsDays").GetInt32().ShouldBe(30);
        body.GetProperty("closedTicketsDays").GetInt32().ShouldBe(730);
        body.GetProperty("transcriptsDays").ValueKind.ShouldBe(JsonValueKind.Null);
        (await _seed.ScalarAsync("select count(*) from audit_log where tenant_id = $1 and entity_type = 'retention-settings' and changes::text like '%730%'", host.Settings.Id))
            .ShouldBe(1);
    }

    [Fact]
    public async Task The_nightly_sweep_queues_a_run_per_tenant_and_the_run_applies_the_retention_and_is_audited()
    {
        using var admin = await host.LoginAsync(host.Nightly.Email("admin"));
        await _seed.SeedAsync(host.Nightly.Id, host.Clock.GetUtcNow());
        (await admin.PutAsJsonAsync("/api/v1/settings/retention", new { recordingsDays = 30 })).EnsureSuccessStatusCode();
        var today = DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime);
        await using (var scope = host.Services.CreateAsyncScope())
            await RetentionSweep.ScheduleAsync(scope.ServiceProvider.GetRequiredService<JobQueue>(), today, CancellationToken.None);
        var sweep = (await JobsAsync(RetentionSweep.JobKind)).Single(j => j.IdempotencyKey == $"retention.sweep:{today:yyyy-MM-dd}");

        await JobRuns.RunAsync<RetentionSweep>(host.Services, sweep);

        var sweeps = await JobsAsync(RetentionSweep.JobKind);
        var startDay = DateOnly.FromDateTime((host.Clock.GetUtcNow() - RetentionHost.Age).UtcDateTime);
        sweeps.ShouldContain(j => j.IdempotencyKey == $"retention.sweep:{startDay:yyyy-MM-dd}", "the app's start queued its day's sweep");
        sweeps.Single(j => j.IdempotencyKey == $"retention.sweep:{today.AddDays(1):yyyy-MM-dd}").RunAt
            .ShouldBe(new DateTimeOffset(today.AddDays(1).ToDateTime(new TimeOnly(3, 30)), TimeSpan.Zero));
        var applies = (await JobsAsync(RetentionApply.JobKind)).Where(j => j.IdempotencyKey!.EndsWith($":{today:yyyy-MM-dd}", StringComparison.Ordinal)).ToList();
        applies.Select(j => j.TenantId).ShouldContain(host.Nightly.Id);
        applies.Select(j => j.TenantId).ShouldContain(host.Untouched.Id);
        await JobRuns.RunAsync<RetentionApply>(host.Services, applies.Single(j => j.TenantId == host.Nightly.Id));

        (await _seed.StateAsync(host.Nightly.Id))["recordings"].ShouldBe(1);
        var run = await LastRunAsync(host.Nightly.Id, "retention.applied");
        run.GetProperty("trigger").GetString().ShouldBe("job");
        Rows(run, "recordings").ShouldBe(4);
        Rows(run, "callLogs").ShouldBe(0, "call logs are kept for ever here");
    }

    private static long Rows(JsonElement run, string @class) => run.GetProperty("classes").GetProperty(@class).GetProperty("rows").GetInt64();

    private async Task<JsonElement> LastRunAsync(Guid tenantId, string action)
    {
        await using var conn = new Npgsql.NpgsqlConnection(host.Database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("select changes::text from audit_log where tenant_id = $1 and action = $2 order by occurred_at desc, id desc limit 1", conn)
        {
            Parameters = { new() { Value = tenantId }, new() { Value = action } },
        };
        var text = (string?)await cmd.ExecuteScalarAsync() ?? throw new ShouldAssertException($"no {action} row in the audit log");
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<IReadOnlyList<Job>> JobsAsync(string kind)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Jobs.AsNoTracking().Where(j => j.Kind == kind).ToListAsync();
    }
}
