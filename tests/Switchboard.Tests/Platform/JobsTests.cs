using Switchboard.Features.Calls;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Database;
using Switchboard.Platform.Jobs;
using Switchboard.Platform.Tenancy;
using Switchboard.Testing;
using Switchboard.Features.Leads;

namespace Switchboard.Tests.Platform;

/// <summary>
/// The durable job queue on real PostgreSQL: the outbox, idempotency keys, retries, tenant scope, leases, and
/// several workers on one database.
/// </summary>
public sealed class JobsTests(JobsTests.Host host) : IClassFixture<JobsTests.Host>
{
    private static readonly TimeSpan Deadline = Eventually.DefaultTimeout;

    [Fact]
    public async Task A_job_enqueued_with_the_callers_change_runs_exactly_once()
    {
        var key = Key();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<JobQueue>();
            (await queue.EnqueueAsync(RecordingHandler.JobKind, new RecordingHandler.Payload("hello"), tenantId: null, key)).ShouldBeTrue();
            await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().SaveChangesAsync();
        }

        var job = await WaitForAsync(key, j => j.CompletedAt is not null);

        job.Attempts.ShouldBe(1);
        job.FailedAt.ShouldBeNull();
        host.Recorder.Runs(job.Id).Select(r => r.Note).ShouldBe(["hello"]);
    }

    [Fact]
    public async Task A_job_enqueued_in_a_transaction_that_rolls_back_is_never_written()
    {
        var key = Key();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<JobQueue>().EnqueueAsync(RecordingHandler.JobKind, new RecordingHandler.Payload("never"), null, key);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        (await FindAsync(key)).ShouldBeNull();
    }

    [Fact]
    public async Task A_job_is_not_written_until_the_caller_saves()
    {
        var key = Key();
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<JobQueue>().EnqueueAsync(RecordingHandler.JobKind, new RecordingHandler.Payload("unsaved"), null, key);

        (await FindAsync(key)).ShouldBeNull();
    }

    [Fact]
    public async Task A_duplicate_idempotency_key_creates_one_job()
    {
        var key = Key();
        await using var scope = host.Services.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<JobQueue>();

        var first = await queue.EnqueueNowAsync(RecordingHandler.JobKind, new RecordingHandler.Payload("first"), null, key);
        var second = await queue.EnqueueNowAsync(RecordingHandler.JobKind, new RecordingHandler.Payload("second"), null, key);
        var third = await queue.EnqueueAsync(RecordingHandler.JobKind, new RecordingHandler.Payload("third"), null, key);
        await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().SaveChangesAsync();

        (first, second, third).ShouldBe((true, false, false));
        (await CountAsync($"select count(*) from jobs where idempotency_key = '{key}'")).ShouldBe(1);
        var job = await WaitForAsync(key, j => j.CompletedAt is not null);
        host.Recorder.Runs(job.Id).Select(r => r.Note).ShouldBe(["first"]);
    }

    [Fact]
    public async Task The_handler_runs_inside_the_jobs_tenant_and_sees_only_its_rows()
    {
        var (tenantA, tenantB) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await host.ExecAsync($"""
            insert into tenants (id, name, slug, time_zone, currency, date_format, default_country, created_at, updated_at) values
              ('{tenantA}', 'A', 'jobs-a-{tenantA:N}', 'UTC', 'USD', 'yyyy-MM-dd', 'US', now(), now()),
              ('{tenantB}', 'B', 'jobs-b-{tenantB:N}', 'UTC', 'USD', 'yyyy-MM-dd', 'US', now(), now());
            insert into leads (tenant_id, id, first_name, last_name, status, created_at, updated_at) values
              ('{tenantA}', gen_random_uuid(), 'Ann', 'A', 'new', now(), now()),
              ('{tenantA}', gen_random_uuid(), 'Abe', 'A', 'new', now(), now()),
              ('{tenantB}', gen_random_uuid(), 'Bea', 'B', 'new', now(), now());
            """);
        var key = Key();

        await EnqueueNowAsync(RecordingHandler.JobKind, new RecordingHandler.Payload("tenant"), tenantA, key);
        var job = await WaitForAsync(key, j => j.CompletedAt is not null);

        var run = host.Recorder.Runs(job.Id).ShouldHaveSingleItem();
        run.TenantId.ShouldBe(tenantA);
        run.VisibleLeads.ShouldBe(2);
        run.Actor.ShouldBe("system/job:test.record");
    }

    [Fact]
    public async Task A_failing_handler_is_retried_with_backoff_and_then_marked_failed()
    {
        var key = Key();

        await EnqueueNowAsync(FailingHandler.JobKind, new { }, null, key, maxAttempts: 3);
        var job = await WaitForAsync(key, j => j.FailedAt is not null);

        job.Attempts.ShouldBe(3);
        job.CompletedAt.ShouldBeNull();
        job.LastError.ShouldBe("Boom on attempt 3");
        job.RunAt.ShouldBeGreaterThan(job.CreatedAt); // pushed back by each retry
        host.Recorder.Runs(job.Id).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_job_of_an_unknown_kind_fails_at_once_with_a_clear_error()
    {
        var key = Key();

        await EnqueueNowAsync("test.nobody-handles-this", new { }, null, key);
        var job = await WaitForAsync(key, j => j.FailedAt is not null);

        job.Attempts.ShouldBe(1);
        job.LastError.ShouldBe("No handler is registered for job kind 'test.nobody-handles-this'.");
    }

    [Fact]
    public async Task A_job_whose_worker_crashed_is_resumed_once_its_lease_expires()
    {
        var key = Key();
        await EnqueueNowAsync(RecordingHandler.JobKind, new RecordingHandler.Payload("resumed"), null, key, runAt: DateTimeOffset.UtcNow.AddHours(1));
        await host.ExecAsync($"""
            update jobs set run_at = now() - interval '5 minutes', attempts = 1,
              locked_by = 'crashed-worker', locked_until = now() - interval '1 minute'
            where idempotency_key = '{key}'
            """);

        var job = await WaitForAsync(key, j => j.CompletedAt is not null);

        job.Attempts.ShouldBe(2);
        job.LockedBy.ShouldNotBe("crashed-worker");
        host.Recorder.Runs(job.Id).Select(r => r.Note).ShouldBe(["resumed"]);
    }

    [Fact]
    public async Task A_job_under_a_live_lease_is_left_to_its_worker()
    {
        var (leased, later) = (Key(), Key());
        await EnqueueNowAsync(RecordingHandler.JobKind, new RecordingHandler.Payload("leased"), null, leased, runAt: DateTimeOffset.UtcNow.AddHours(1));
        await host.ExecAsync($"""
            update jobs set run_at = now() - interval '5 minutes', attempts = 1,
              locked_by = 'busy-worker', locked_until = now() + interval '1 hour'
            where idempotency_key = '{leased}'
            """);

        // Due later than the leased job, so a worker that finished it had the leased one in front of it.
        await EnqueueNowAsync(RecordingHandler.JobKind, new RecordingHandler.Payload("later"), null, later);
        await WaitForAsync(later, j => j.CompletedAt is not null);

        var job = (await FindAsync(leased))!;
        job.CompletedAt.ShouldBeNull();
        job.Attempts.ShouldBe(1);
        job.LockedBy.ShouldBe("busy-worker");
        host.Recorder.Runs(job.Id).ShouldBeEmpty();
    }

    [Fact]
    public async Task Two_instances_on_one_database_never_run_the_same_job_twice()
    {
        var second = await host.StartSecondInstanceAsync();
        var batch = $"batch-{Guid.NewGuid():N}";
        try
        {
            await host.ExecAsync($$"""
                insert into jobs (id, kind, payload, idempotency_key, run_at, max_attempts, created_at)
                select gen_random_uuid(), '{{RecordingHandler.JobKind}}', '{"note": "parallel"}', '{{batch}}-' || n, now(), 5, now()
                from generate_series(1, 50) n;
                select pg_notify('{{JobQueue.Channel}}', '');
                """);
            await Eventually.Until(() => CountAsync($"select count(*) from jobs where idempotency_key like '{batch}-%' and completed_at is not null"),
                completed => completed == 50, Deadline, "all 50 jobs of the batch to complete");
        }
        finally
        {
            await second.StopAsync();
            await second.DisposeAsync();
        }

        var ids = await IdsAsync($"select id from jobs where idempotency_key like '{batch}-%'");
        ids.Count.ShouldBe(50);
        ids.ShouldAllBe(id => host.Recorder.Runs(id).Count == 1);
        (await CountAsync($"select count(*) from jobs where idempotency_key like '{batch}-%' and attempts <> 1")).ShouldBe(0);
    }

    [Fact]
    public void Backoff_doubles_from_the_base_and_stops_at_the_cap()
    {
        var options = new JobsOptions { RetryBaseSeconds = 2, RetryMaxSeconds = 300 };

        Enumerable.Range(1, 10).Select(a => options.RetryDelay(a).TotalSeconds)
            .ShouldBe([2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
    }

    internal static string Key() => $"test-{Guid.NewGuid():N}";

    private async Task EnqueueNowAsync(string kind, object payload, Guid? tenantId, string key, DateTimeOffset? runAt = null, int maxAttempts = 5)
    {
        await using var scope = host.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<JobQueue>().EnqueueNowAsync(kind, payload, tenantId, key, runAt, maxAttempts)).ShouldBeTrue();
    }

    private async Task<Job?> FindAsync(string key)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.IdempotencyKey == key);
    }

    private async Task<Job> WaitForAsync(string key, Func<Job, bool> condition) =>
        (await Eventually.Until(() => FindAsync(key), job => job is not null && condition(job), Deadline, $"job {key} to reach the awaited state"))!;

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<Guid>> IdsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    public sealed class Host : SwitchboardHost
    {
        public JobRecorder Recorder { get; } = new();

        protected override IDictionary<string, string?> ExtraSettings => Settings;

        private static Dictionary<string, string?> Settings => new()
        {
            ["Jobs:PollSeconds"] = "0.2",
            ["Jobs:RetryBaseSeconds"] = "0.05",
            ["Logging:LogLevel:Switchboard.Platform.Jobs"] = "None",
        };

        protected override void ConfigureServices(IServiceCollection services) => AddTestHandlers(services, Recorder);

        private static void AddTestHandlers(IServiceCollection services, JobRecorder recorder)
        {
            services.AddSingleton(recorder);
            services.AddJobHandler<RecordingHandler>();
            services.AddJobHandler<FailingHandler>();
            services.AddJobHandler<BlockingHandler>();
        }

        public async Task ExecAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(Database.SuperuserConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        /// <summary>Another app instance (its own worker) on this host's database, as a second server would be.</summary>
        public async Task<WebApplication> StartSecondInstanceAsync()
        {
            var settings = new Dictionary<string, string?>(Settings)
            {
                [DatabaseConnections.RuntimeKey] = Database.RuntimeConnectionString,
                [DatabaseConnections.OwnerKey] = Database.OwnerConnectionString,
                ["urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            var app = Program.BuildApp([], settings, services => AddTestHandlers(services, Recorder));
            await app.StartAsync();
            return app;
        }
    }

    public sealed record JobRun(string Note, Guid? TenantId, int VisibleLeads, string Actor);

    public sealed class JobRecorder
    {
        private readonly ConcurrentDictionary<Guid, ConcurrentQueue<JobRun>> _runs = new();

        public void Add(Guid jobId, JobRun run) => _runs.GetOrAdd(jobId, _ => new()).Enqueue(run);

        public IReadOnlyList<JobRun> Runs(Guid jobId) => _runs.TryGetValue(jobId, out var runs) ? runs.ToList() : [];
    }

    /// <summary>Records each run with what the job's scope could see: its tenant, the leads row-level security lets through, the audit actor.</summary>
    private sealed class RecordingHandler(JobRecorder recorder, SwitchboardDbContext db, TenantContext tenant, AuditActor actor) : IJobHandler
    {
        public const string JobKind = "test.record";

        public sealed record Payload(string Note);

        public string Kind => JobKind;

        public async Task HandleAsync(Job job, CancellationToken ct)
        {
            var visibleLeads = await db.Leads.IgnoreQueryFilters().CountAsync(ct);
            await Task.Delay(5, ct); // widen the window in which two workers could collide
            recorder.Add(job.Id, new JobRun(job.Read<Payload>().Note, tenant.TenantId, visibleLeads, $"{actor.ActorType}/{actor.ActorName}"));
        }
    }

    /// <summary>Runs until cancelled; records that it started.</summary>
    internal sealed class BlockingHandler(JobRecorder recorder) : IJobHandler
    {
        public const string JobKind = "test.block";

        public string Kind => JobKind;

        public async Task HandleAsync(Job job, CancellationToken ct)
        {
            recorder.Add(job.Id, new JobRun("started", null, 0, ""));
            await Task.Delay(Timeout.Infinite, ct);
        }
    }

    private sealed class FailingHandler(JobRecorder recorder) : IJobHandler
    {
        public const string JobKind = "test.fail";

        public string Kind => JobKind;

        public Task HandleAsync(Job job, CancellationToken ct)
        {
            recorder.Add(job.Id, new JobRun("failed", null, 0, ""));
            throw new InvalidOperationException($"Boom on attempt {job.Attempts}");
        }
    }
}

/// <summary>Stopping an instance hands its running jobs back at once, without spending an attempt. Its own host: it stops the worker.</summary>
public sealed class JobsShutdownTests(JobsTests.Host host) : IClassFixture<JobsTests.Host>
{
    [Fact]
    public async Task Stopping_the_worker_cancels_a_running_job_and_hands_it_back_unspent()
    {
        var key = JobsTests.Key();
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<JobQueue>().EnqueueNowAsync(JobsTests.BlockingHandler.JobKind, new { }, null, key);
        await Eventually.Until(() => FindAsync(key), job => job is not null && host.Recorder.Runs(job.Id).Count == 1, "the blocking job to start");

        await host.Services.GetServices<IHostedService>().OfType<JobWorker>().Single().StopAsync(CancellationToken.None);

        var released = (await FindAsync(key))!;
        released.Attempts.ShouldBe(0);
        released.LockedBy.ShouldBeNull();
        released.LockedUntil.ShouldBeNull();
        released.CompletedAt.ShouldBeNull();
        released.FailedAt.ShouldBeNull();
    }

    private async Task<Job?> FindAsync(string key)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.IdempotencyKey == key);
    }
}
