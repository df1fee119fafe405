using Npgsql;

namespace Switchboard.Platform.Backups;

/// <summary>
/// One scheduled backup (job <c>backup.scheduled</c>, platform-wide), for the slot in its payload: queues the next slot
/// first, so a failure never ends the schedule (after an outage, the slot that has begun, not every slot missed), then — holding a PostgreSQL advisory lock, so two instances never back
/// up at once even if a lease expires mid-run — makes the backup, prunes past the retention and audits both. The slot
/// is the job's idempotency key: every instance queues the same slots, and each runs once.
/// </summary>
public sealed class ScheduledBackup(BackupWriter writer, BackupAudit audit, JobQueue jobs, IOptions<BackupOptions> options, TimeProvider clock,
    ILogger<ScheduledBackup> logger) : IJobHandler
{
    public const string JobKind = "backup.scheduled";

    /// <summary>pg_try_advisory_lock key: "SWBKUP" and a 1.</summary>
    private const long LockKey = 0x5357_424B_5550_0001;

    public sealed record Payload(DateTimeOffset Slot);

    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.IsScheduled) return;
        var slot = job.Read<Payload>().Slot;
        await ScheduleAsync(jobs, settings, NextAfter(slot, clock.GetUtcNow(), settings), ct);

        await using var conn = new NpgsqlConnection(writer.ConnectionString);
        await conn.OpenAsync(ct);
        await using (var lockCmd = new NpgsqlCommand($"select pg_try_advisory_lock({LockKey})", conn))
        {
            if (await lockCmd.ExecuteScalarAsync(ct) is not true)
            {
                logger.LogWarning("Scheduled backup for {Slot:u} skipped: another instance holds the backup lock", slot);
                return;
            }
        }
        try
        {
            var backup = await writer.CreateAsync(settings.Directory!, ct);
            var pruned = BackupRetention.Prune(settings.Directory!, settings.Keep, settings.KeepDays, clock.GetUtcNow());
            logger.LogInformation("Backup {Name} made ({Rows} rows, {Files} files); {Pruned} old backup(s) removed", backup.Name, backup.Manifest.TotalRows,
                backup.Manifest.Files.Count, pruned.Count);
            await audit.CreatedAsync(backup, pruned, slot, ct);
        }
        catch (Exception e) when (e is BackupException or IOException or NpgsqlException or UnauthorizedAccessException)
        {
            await audit.FailedAsync(settings.Directory, e.Message, slot, ct);
            throw;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"select pg_advisory_unlock({LockKey})", conn);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    /// <summary>The slot that contains <paramref name="now"/>: slots are whole periods from 1970-01-01 plus the daily offset.</summary>
    public static DateTimeOffset Current(DateTimeOffset now, BackupOptions settings)
    {
        var (period, offset) = settings.Schedule;
        var since = now - DateTimeOffset.UnixEpoch - offset;
        return DateTimeOffset.UnixEpoch + offset + TimeSpan.FromTicks(since.Ticks - (((since.Ticks % period.Ticks) + period.Ticks) % period.Ticks));
    }

    public static DateTimeOffset Next(DateTimeOffset slot, BackupOptions settings) => slot + settings.Schedule.Period;

    /// <summary>
    /// The slot to queue after <paramref name="slot"/>'s job ran at <paramref name="now"/>: the next one, or — when the
    /// job ran late, after an outage — the slot that has begun, so the instance does not back up once per missed slot.
    /// </summary>
    public static DateTimeOffset NextAfter(DateTimeOffset slot, DateTimeOffset now, BackupOptions settings)
    {
        var next = Next(slot, settings);
        var current = Current(now, settings);
        return next > current ? next : current;
    }

    /// <summary>Queues the backup of <paramref name="slot"/> (at once when it has begun); nothing when it is queued already.</summary>
    public static Task<bool> ScheduleAsync(JobQueue jobs, BackupOptions settings, DateTimeOffset slot, CancellationToken ct) =>
        jobs.EnqueueNowAsync(JobKind, new Payload(slot), null, $"{JobKind}:{slot.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}", runAt: slot, maxAttempts: 3, ct: ct);
}

/// <summary>Queues the current slot's <see cref="ScheduledBackup"/> when the app starts with <c>Backup:Directory</c> set; each run queues the next.</summary>
public sealed class BackupSchedule(IServiceScopeFactory scopes, IOptions<BackupOptions> options, TimeProvider clock, ILogger<BackupSchedule> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IsScheduled) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var slot = ScheduledBackup.Current(clock.GetUtcNow(), options.Value);
            await ScheduledBackup.ScheduleAsync(scope.ServiceProvider.GetRequiredService<JobQueue>(), options.Value, slot, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or DbUpdateException)
        {
            logger.LogError(e, "Could not schedule backups; the next start tries again");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
