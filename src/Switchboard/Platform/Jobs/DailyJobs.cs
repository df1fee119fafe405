namespace Switchboard.Platform.Jobs;

/// <summary>
/// A platform job that runs once a day at a fixed UTC time: each run queues the next day's first (so a failure never
/// ends the schedule), and a start-up service queues today's. Idempotency keys carry the date, so several instances
/// schedule and run each day once. Used by the audit retention sweep (ADR 0038) and the retention sweep (ADR 0066).
/// </summary>
public static class DailyJobs
{
    /// <summary>The <paramref name="kind"/> job of <paramref name="day"/> at <paramref name="at"/> UTC (at once when that has passed); nothing when it is queued already.</summary>
    public static Task<bool> ScheduleAsync(JobQueue jobs, string kind, TimeOnly at, DateOnly day, CancellationToken ct) =>
        jobs.EnqueueNowAsync(kind, new { }, null, $"{kind}:{day:yyyy-MM-dd}", runAt: new DateTimeOffset(day.ToDateTime(at), TimeSpan.Zero), ct: ct);

    /// <summary>Queues today's <paramref name="kind"/> job when the app starts.</summary>
    public static IServiceCollection AddDailyJobSchedule(this IServiceCollection services, string kind, TimeOnly at) =>
        services.AddSingleton<IHostedService>(sp => new DailyJobSchedule(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DailyJobSchedule>>(), kind, at));
}

/// <summary>Queues today's run of a daily job at start-up; see <see cref="DailyJobs"/>.</summary>
public sealed class DailyJobSchedule(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DailyJobSchedule> logger, string kind, TimeOnly at) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            await DailyJobs.ScheduleAsync(scope.ServiceProvider.GetRequiredService<JobQueue>(), kind, at, today, cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or DbUpdateException)
        {
            // The next start tries again; the app serves meanwhile, and the day's work only waits.
            logger.LogWarning(e, "Could not schedule the daily job {Kind}", kind);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
