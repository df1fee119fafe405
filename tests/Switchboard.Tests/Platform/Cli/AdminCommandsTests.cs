using System.Net;
using System.Net.Http.Json;
using Switchboard.Platform.Cli;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy.TenantMoves;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Cli;

/// <summary><c>switchboard tenant create|deactivate|reactivate|stats</c>, <c>jobs …</c> and <c>config validate</c> (ADR 0067).</summary>
public sealed class AdminCommandsTests(CliHost host) : IClassFixture<CliHost>
{
    [Fact]
    public async Task Tenant_create_makes_a_tenant_invites_its_administrator_and_refuses_a_taken_slug()
    {
        var slug = $"cli-new-{Guid.NewGuid().ToString("N")[..6]}";

        var (code, output) = await host.RunAsync<TenantMoveCommand>("create", "--slug", slug, "--name", "Acme Calling", "--admin-email", $"boss@{slug}.test", "--time-zone", "Europe/Berlin", "--currency", "EUR", "--country", "DE");
        var taken = await Should.ThrowAsync<CliUsageException>(() => host.RunAsync<TenantMoveCommand>("create", "--slug", slug, "--name", "Again"));
        var noName = await Should.ThrowAsync<CliUsageException>(() => host.RunAsync<TenantMoveCommand>("create", "--slug", slug));

        code.ShouldBe(0);
        output.ShouldStartWith($"Created tenant {slug} (Acme Calling), id ");
        output.ShouldContain($"Invited boss@{slug}.test as its administrator");
        (await host.ScalarAsync<string>("select time_zone || ' ' || currency || ' ' || default_country from tenants where slug = $1", slug)).ShouldBe("Europe/Berlin EUR DE");
        (await host.ScalarAsync<string>("select i.role from invitations i join tenants t on t.id = i.tenant_id where t.slug = $1", slug)).ShouldBe("admin");
        (await host.ScalarAsync<long>("select count(*) from audit_log where tenant_id is null and actor_name = 'cli' and action like 'tenant.%' and changes::text like '%' || $1 || '%'", slug)).ShouldBeGreaterThan(0L);
        taken.Message.ShouldBe($"slug: The slug '{slug}' is already taken.");
        noName.Message.ShouldBe("tenant create needs --name NAME.");
    }

    [Fact]
    public async Task Tenant_deactivate_locks_its_members_out_and_reactivate_lets_them_back()
    {
        var tenant = await host.CreateTenantAsync("cli-active");
        using var signedIn = await host.LoginAsync(tenant.Email("agent"), tenant.Slug);

        var (offCode, off) = await host.RunAsync<TenantMoveCommand>("deactivate", "--tenant", tenant.Slug);
        var whileOff = await host.SignInStatusAsync(tenant.Email("agent"), tenant.Slug);
        var meWhileOff = (await signedIn.GetAsync("/api/v1/auth/me")).StatusCode;
        var (_, twice) = await host.RunAsync<TenantMoveCommand>("deactivate", "--tenant", tenant.Slug);
        var (onCode, on) = await host.RunAsync<TenantMoveCommand>("reactivate", "--tenant", tenant.Slug);

        offCode.ShouldBe(0);
        off.ShouldBe($"Deactivated {tenant.Slug}: its members have lost access.{Environment.NewLine}");
        whileOff.ShouldNotBe(HttpStatusCode.OK);
        meWhileOff.ShouldNotBe(HttpStatusCode.OK);
        twice.ShouldBe($"{tenant.Slug} is already deactivated.{Environment.NewLine}");
        onCode.ShouldBe(0);
        on.ShouldBe($"Reactivated {tenant.Slug}: its members can sign in again.{Environment.NewLine}");
        (await host.SignInStatusAsync(tenant.Email("agent"), tenant.Slug)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Tenant_stats_counts_one_tenants_rows_under_its_own_row_level_security()
    {
        var tenant = await host.CreateTenantAsync("cli-stats");
        var other = await host.CreateTenantAsync("cli-stats-other");
        using var agent = await host.LoginAsync(tenant.Email("agent"), tenant.Slug);
        using var otherAgent = await host.LoginAsync(other.Email("agent"), other.Slug);
        for (var i = 0; i < 3; i++)
            (await agent.PostAsJsonAsync("/api/v1/leads", new { firstName = "Stat", lastName = $"Lead {i}" })).EnsureSuccessStatusCode();
        (await otherAgent.PostAsJsonAsync("/api/v1/leads", new { firstName = "Other", lastName = "Lead" })).EnsureSuccessStatusCode();

        var (code, output) = await host.RunAsync<TenantMoveCommand>("stats", "--tenant", tenant.Slug);

        code.ShouldBe(0);
        output.ShouldStartWith($"{tenant.Slug} (Tenant {tenant.Slug}, active): 5 member(s), 3 lead(s), 0 contact(s), 0 call(s), ");
        output.ShouldContain("  leads ");
        output.ShouldEndWith($"1 tenant(s).{Environment.NewLine}");
    }

    [Fact]
    public async Task Jobs_list_filters_by_status_retry_makes_a_failed_job_due_and_cancel_stops_a_queued_one()
    {
        var kind = $"cli.test-{Guid.NewGuid().ToString("N")[..6]}";
        var failed = await InsertJobAsync(kind, "failed_at = now(), attempts = 5, last_error = 'Boom'");
        var queued = await InsertJobAsync(kind, "run_at = now() + interval '1 hour'");
        var done = await InsertJobAsync(kind, "completed_at = now(), attempts = 1");

        var (_, failedList) = await host.RunAsync<JobsCommand>("list", "--kind", kind, "--status", "failed");
        var (_, allList) = await host.RunAsync<JobsCommand>("list", "--kind", kind);
        var notFailed = await Should.ThrowAsync<CliException>(() => host.RunAsync<JobsCommand>("retry", "--id", done.ToString()));
        var (retryCode, retried) = await host.RunAsync<JobsCommand>("retry", "--id", failed.ToString());
        var (cancelCode, cancelled) = await host.RunAsync<JobsCommand>("cancel", "--id", queued.ToString());
        var badStatus = await Should.ThrowAsync<CliUsageException>(() => host.RunAsync<JobsCommand>("list", "--status", "stuck"));
        var badId = await Should.ThrowAsync<CliUsageException>(() => host.RunAsync<JobsCommand>("cancel", "--id", "42"));

        failedList.ShouldContain($"{failed} {kind}");
        failedList.ShouldContain("failed    platform");
        failedList.ShouldContain(" Boom");
        failedList.ShouldEndWith($"1 job(s).{Environment.NewLine}");
        allList.ShouldEndWith($"3 job(s).{Environment.NewLine}");
        notFailed.Message.ShouldBe($"Job {done} is completed: only a failed job can be retried.");
        retryCode.ShouldBe(0);
        retried.ShouldBe($"Job {failed} ({kind}) is due again now.{Environment.NewLine}");
        (await host.ScalarAsync<string>("select concat_ws(' ', failed_at is null, attempts, run_at <= now()) from jobs where id = $1", failed)).ShouldBe("t 0 t");
        cancelCode.ShouldBe(0);
        cancelled.ShouldBe($"Job {queued} ({kind}) is cancelled.{Environment.NewLine}");
        (await host.ScalarAsync<string>("select last_error from jobs where id = $1 and failed_at is not null", queued)).ShouldBe(JobsCommand.CancelledError);
        (await host.ScalarAsync<long>("select count(*) from audit_log where tenant_id is null and actor_name = 'cli' and action in ('job.retried', 'job.cancelled') and entity_id in ($1, $2)",
            failed.ToString(), queued.ToString())).ShouldBe(2L);
        badStatus.Message.ShouldBe("--status must be one of failed, queued, running, completed; got 'stuck'.");
        badId.Message.ShouldBe("--id must be a job id (a UUID); got '42'.");
    }

    [Fact]
    public async Task Config_validate_names_every_bad_setting_and_unreachable_database_on_its_own_line()
    {
        var output = new StringWriter();

        var code = await SwitchboardCli.ConfigAsync([
            "validate", $"--{DatabaseConnections.RuntimeKey}=Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=2",
            "--Jobs:Concurrency=0", "--RateLimits:UserPerSecond=fast",
        ], output);

        code.ShouldBe(1);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldContain("Jobs:Concurrency must be between 1 and 256.");
        lines.ShouldContain(l => l.Contains("RateLimits:UserPerSecond"));
        lines.ShouldContain(l => l.StartsWith($"{DatabaseConnections.RuntimeKey}: "));
        lines[^1].ShouldEndWith("3 problem(s).");
    }

    [Fact]
    public async Task Config_validate_passes_a_good_configuration_after_trying_its_connections()
    {
        var output = new StringWriter();

        var code = await SwitchboardCli.ConfigAsync([
            "validate", $"--{DatabaseConnections.RuntimeKey}={host.Database.RuntimeConnectionString}", $"--{DatabaseConnections.OwnerKey}={host.Database.OwnerConnectionString}",
        ], output);

        output.ToString().ShouldEndWith($"2 database connection(s) checked: no problems.{Environment.NewLine}");
        code.ShouldBe(0);
    }

    [Fact]
    public async Task Bad_usage_exits_2_with_one_line_and_the_usage_lists_every_administrator_command()
    {
        var errors = new StringWriter();
        var usage = new StringWriter();

        var code = await SwitchboardCli.RunAsync(["users", "frobnicate", $"--{DatabaseConnections.RuntimeKey}={host.Database.RuntimeConnectionString}",
            $"--{DatabaseConnections.OwnerKey}={host.Database.OwnerConnectionString}"], errors);
        await SwitchboardCli.RunAsync(["no-such-command"], usage);

        code.ShouldBe(2);
        errors.ToString().ShouldBe($"switchboard: users needs a subcommand: create, import, list, reset-password, unlock or disable.{Environment.NewLine}");
        foreach (var line in new[] { "users create --tenant SLUG", "sessions revoke --email E | --id ID", "jobs retry --id ID", "tenant create --slug S", "tenant stats", "config validate" })
            usage.ToString().ShouldContain(line);
    }

    private async Task<Guid> InsertJobAsync(string kind, string set)
    {
        var id = Guid.NewGuid();
        await host.QueryAsync($"insert into jobs (id, kind, payload, run_at, created_at) values ($1, $2, '{{}}', now(), now())", id, kind);
        await host.QueryAsync($"update jobs set {set} where id = $1", id);
        return id;
    }
}
