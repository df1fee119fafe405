namespace Switchboard.Features.Sequences;

/// <summary>The configuration section "Sequences": the step scheduler (ADR 0060).</summary>
public sealed class SequenceOptions : IValidatedOptions
{
    public const string Section = "Sequences";

    /// <summary>Off: no scheduler runs on this instance (another instance's does).</summary>
    public bool SchedulerEnabled { get; set; } = true;
    /// <summary>How often each instance looks for due steps.</summary>
    public double PollSeconds { get; set; } = 10;
    /// <summary>How long a claim on an enrolment lasts; a step that crashed its instance is retried after it.</summary>
    public int LeaseSeconds { get; set; } = 120;
    /// <summary>The most enrolments claimed per round.</summary>
    public int BatchSize { get; set; } = 100;

    public IEnumerable<string> Problems()
    {
        if (PollSeconds is < 0.05 or > 3600) yield return "Sequences:PollSeconds must be between 0.05 and 3600.";
        if (LeaseSeconds is < 10 or > 3600) yield return "Sequences:LeaseSeconds must be between 10 and 3600.";
        if (BatchSize is < 1 or > 10_000) yield return "Sequences:BatchSize must be between 1 and 10000.";
    }
}

/// <summary>
/// Claims due enrolments across tenants (<c>sequence_claim</c>: FOR UPDATE SKIP LOCKED and a lease, on every instance)
/// and runs each one's step inside its tenant (<see cref="SequenceStepRunner"/>). A step that fails keeps its lease and
/// is retried when the lease runs out; its error is shown on the enrolment.
/// </summary>
[Singleton]
public sealed class SequenceScheduler(IServiceScopeFactory scopes, IOptions<SequenceOptions> options, TimeProvider clock, ILogger<SequenceScheduler> logger)
{
    private readonly string _worker = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>One round: claims what is due now and runs it; the number of steps run.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        List<Claimed> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            var now = clock.GetUtcNow();
            claimed = await db.Database.SqlQuery<Claimed>(
                    $"select tenant_id as \"TenantId\", id as \"Id\" from sequence_claim({_worker}, {now}, {now.AddSeconds(settings.LeaseSeconds)}, {settings.BatchSize})")
                .ToListAsync(ct);
        }
        var ran = 0;
        foreach (var tenant in claimed.GroupBy(c => c.TenantId))
        {
            foreach (var enrolment in tenant)
            {
                try
                {
                    await using var scope = await EnterAsync(tenant.Key, ct);
                    if (scope is null) continue;
                    if (await scope.Value.ServiceProvider.GetRequiredService<SequenceStepRunner>().RunAsync(enrolment.Id, ct)) ran++;
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Sequence enrolment {EnrolmentId}: its step failed; retrying after the lease", enrolment.Id);
                    await RecordErrorAsync(tenant.Key, enrolment.Id, e.GetBaseException().Message);
                }
            }
        }
        return ran;
    }

    private async Task RecordErrorAsync(Guid tenantId, Guid enrolmentId, string error)
    {
        try
        {
            await using var scope = await EnterAsync(tenantId, CancellationToken.None);
            if (scope is null) return;
            var db = scope.Value.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            var message = error.Length > 500 ? error[..500] : error;
            await db.Set<SequenceEnrolment>().Where(e => e.Id == enrolmentId).ExecuteUpdateAsync(s => s.SetProperty(e => e.LastError, message));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not record the error of sequence enrolment {EnrolmentId}", enrolmentId);
        }
    }

    private Task<AsyncServiceScope?> EnterAsync(Guid tenantId, CancellationToken ct) => scopes.EnterTenantAsync(tenantId, "sequence-scheduler", ct);

    private sealed record Claimed(Guid TenantId, Guid Id);
}

/// <summary>Runs the scheduler's rounds on this instance every PollSeconds (at once again while rounds come back full).</summary>
public sealed class SequenceWorker(SequenceScheduler scheduler, IOptions<SequenceOptions> options, TimeProvider clock, ILogger<SequenceWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.SchedulerEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var ran = 0;
            try
            {
                ran = await scheduler.RunDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The sequence scheduler could not claim due steps; trying again after the poll interval");
            }
            if (ran >= settings.BatchSize) continue;
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(settings.PollSeconds), clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
