using Switchboard.Platform.Jobs;

namespace Switchboard.Platform.Cli;

/// <summary>
/// <c>switchboard jobs list|retry|cancel</c>: the background job queue (a platform table, ADR 0067). Retry makes a failed
/// job due now with its attempts reset; cancel marks a job that is not running as failed ("cancelled"), so no worker
/// claims it. A running job is refused: its worker holds the lease. Each change is a platform audit row.
/// </summary>
public sealed class JobsCommand(IServiceProvider services) : ICliCommand
{
    public static string Verb => "jobs";

    public static string Usage => """
          jobs list [--status failed|queued|running|completed] [--kind K] [--limit N]
                                               The newest jobs (100 by default): id, kind, status, tenant, attempts, error.
          jobs retry --id ID                   Run a failed (or cancelled) job again now, with its attempts reset.
          jobs cancel --id ID                  Stop a queued job from running (recorded as failed: cancelled).
        """.TrimEnd();

    public const string CancelledError = "Cancelled from the command line.";
    private static readonly string[] Statuses = ["failed", "queued", "running", "completed"];

    public Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct) => args.FirstOrDefault() switch
    {
        "list" => ListAsync(args, output, ct),
        "retry" => ChangeAsync(args, retry: true, output, ct),
        "cancel" => ChangeAsync(args, retry: false, output, ct),
        _ => throw new CliUsageException("jobs needs a subcommand: list, retry --id ID or cancel --id ID."),
    };

    private async Task<int> ListAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var status = CliScopes.OptionalValue(args, "--status", "jobs list");
        var kind = CliScopes.OptionalValue(args, "--kind", "jobs list");
        var limitText = CliScopes.OptionalValue(args, "--limit", "jobs list");
        if (status is not null && !Statuses.Contains(status))
            throw new CliUsageException($"--status must be one of {string.Join(", ", Statuses)}; got '{status}'.");
        var limit = 100;
        if (limitText is not null && (!int.TryParse(limitText, out limit) || limit is < 1 or > 10_000))
            throw new CliUsageException($"--limit must be a whole number from 1 to 10000; got '{limitText}'.");

        await using var scope = await CliScopes.PlatformAsync(services);
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var jobs = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Jobs.AsNoTracking();
        if (kind is not null) jobs = jobs.Where(j => j.Kind == kind);
        jobs = status switch
        {
            "failed" => jobs.Where(j => j.FailedAt != null),
            "completed" => jobs.Where(j => j.CompletedAt != null),
            "running" => jobs.Where(j => j.CompletedAt == null && j.FailedAt == null && j.LockedUntil != null && j.LockedUntil > now),
            "queued" => jobs.Where(j => j.CompletedAt == null && j.FailedAt == null && (j.LockedUntil == null || j.LockedUntil <= now)),
            _ => jobs,
        };
        var list = await jobs.OrderByDescending(j => j.CreatedAt).ThenBy(j => j.Id).Take(limit).ToListAsync(ct);
        foreach (var job in list)
        {
            var error = job.LastError is { } e ? $" {(e.Length > 120 ? e[..120] + "…" : e).ReplaceLineEndings(" ")}" : "";
            await output.WriteLineAsync($"{job.Id} {job.Kind,-32} {StatusOf(job, now),-9} {job.TenantId?.ToString() ?? "platform",-36} {job.Attempts}/{job.MaxAttempts} run at {job.RunAt:yyyy-MM-dd HH:mm:ss}{error}");
        }
        await output.WriteLineAsync($"{list.Count} job(s).");
        return 0;
    }

    private async Task<int> ChangeAsync(string[] args, bool retry, TextWriter output, CancellationToken ct)
    {
        var verb = retry ? "jobs retry" : "jobs cancel";
        var idText = CliScopes.Required(args, "--id", verb);
        if (!Guid.TryParse(idText, out var id)) throw new CliUsageException($"--id must be a job id (a UUID); got '{idText}'.");

        await using var scope = await CliScopes.PlatformAsync(services);
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct) ?? throw new CliException($"No job has the id {id}.");
        var before = StatusOf(job, now);
        if (retry && before != "failed") throw new CliException($"Job {id} is {before}: only a failed job can be retried.");
        if (!retry && before != "queued") throw new CliException($"Job {id} is {before}: only a queued job can be cancelled.");

        await using var unit = await db.BeginUnitOfWorkAsync(ct);
        // Only while it is still as read: a worker may have claimed it (or it may have failed) in the meantime.
        var changed = retry
            ? await db.Jobs.Where(j => j.Id == id && j.FailedAt != null && j.CompletedAt == null).ExecuteUpdateAsync(u => u
                .SetProperty(j => j.FailedAt, (DateTimeOffset?)null).SetProperty(j => j.Attempts, 0).SetProperty(j => j.RunAt, now)
                .SetProperty(j => j.LockedBy, (string?)null).SetProperty(j => j.LockedUntil, (DateTimeOffset?)null), ct)
            : await db.Jobs.Where(j => j.Id == id && j.CompletedAt == null && j.FailedAt == null && (j.LockedUntil == null || j.LockedUntil <= now))
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.FailedAt, now).SetProperty(j => j.LastError, CancelledError), ct);
        if (changed == 0) throw new CliException($"Job {id} changed while this ran (a worker took it); look again with jobs list.");
        await scope.ServiceProvider.GetRequiredService<AuditLog>().WriteAsync(retry ? AuditActions.JobRetried : AuditActions.JobCancelled, null, "job", id.ToString(),
            new { job.Kind, job.TenantId, before, job.LastError }, ct);
        await unit.CommitAsync(ct);
        await output.WriteLineAsync(retry ? $"Job {id} ({job.Kind}) is due again now." : $"Job {id} ({job.Kind}) is cancelled.");
        return 0;
    }

    public static string StatusOf(Job job, DateTimeOffset now) =>
        job.CompletedAt is not null ? "completed"
        : job.FailedAt is not null ? "failed"
        : job.LockedUntil is { } until && until > now ? "running"
        : "queued";
}
