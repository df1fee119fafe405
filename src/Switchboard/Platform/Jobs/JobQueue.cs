using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Switchboard.Platform.Jobs;

/// <summary>
/// Puts work on the durable queue. <see cref="EnqueueAsync"/> is the outbox: the job joins the caller's unit of
/// work and is written by the caller's SaveChanges, in the same transaction as the change that caused it, or
/// not at all. <see cref="EnqueueNowAsync"/> writes at once (inside the caller's transaction if one is open).
/// Either way, a job due now wakes the workers of every instance with NOTIFY, sent when the job commits.
/// </summary>
[Scoped]
public sealed class JobQueue(SwitchboardDbContext db, TimeProvider clock)
{
    /// <summary>The channel workers LISTEN on.</summary>
    public const string Channel = "switchboard_jobs";

    /// <summary>
    /// Adds a job to the unit of work; nothing is written until the caller's SaveChanges. Returns false, adding
    /// nothing, when a job with this idempotency key already exists (committed, or pending in this context).
    /// The check cannot see another transaction's uncommitted job: if two transactions race on one key, the
    /// second SaveChanges fails with a unique violation on <c>jobs_idempotency_key</c>, and nothing it held is saved.
    /// </summary>
    public async Task<bool> EnqueueAsync(string kind, object payload, Guid? tenantId, string? idempotencyKey = null,
        DateTimeOffset? runAt = null, int maxAttempts = 5, CancellationToken ct = default)
    {
        var job = NewJob(kind, payload, tenantId, idempotencyKey, runAt, maxAttempts);
        if (idempotencyKey is not null
            && (db.Jobs.Local.Any(j => j.IdempotencyKey == idempotencyKey)
                || await db.Jobs.AsNoTracking().AnyAsync(j => j.IdempotencyKey == idempotencyKey, ct)))
            return false;
        db.Jobs.Add(job);
        return true;
    }

    /// <summary>Writes a job at once. Returns false, writing nothing, when a job with this idempotency key already exists.</summary>
    public async Task<bool> EnqueueNowAsync(string kind, object payload, Guid? tenantId, string? idempotencyKey = null,
        DateTimeOffset? runAt = null, int maxAttempts = 5, CancellationToken ct = default)
    {
        var job = NewJob(kind, payload, tenantId, idempotencyKey, runAt, maxAttempts);
        var inserted = await db.Database.ExecuteSqlRawAsync("""
            insert into jobs (id, tenant_id, kind, payload, idempotency_key, run_at, max_attempts, created_at)
            values (@id, @tenant_id, @kind, @payload, @idempotency_key, @run_at, @max_attempts, @created_at)
            on conflict (idempotency_key) where idempotency_key is not null do nothing
            """,
            [
                new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = job.Id },
                new NpgsqlParameter("tenant_id", NpgsqlDbType.Uuid) { Value = (object?)job.TenantId ?? DBNull.Value },
                new NpgsqlParameter("kind", NpgsqlDbType.Text) { Value = job.Kind },
                new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = job.Payload },
                new NpgsqlParameter("idempotency_key", NpgsqlDbType.Text) { Value = (object?)job.IdempotencyKey ?? DBNull.Value },
                new NpgsqlParameter("run_at", NpgsqlDbType.TimestampTz) { Value = job.RunAt },
                new NpgsqlParameter("max_attempts", NpgsqlDbType.Integer) { Value = job.MaxAttempts },
                new NpgsqlParameter("created_at", NpgsqlDbType.TimestampTz) { Value = job.CreatedAt },
            ], ct);
        if (inserted == 1 && job.RunAt <= clock.GetUtcNow())
            await db.Database.ExecuteSqlRawAsync(JobWakeUpInterceptor.NotifySql, ct);
        return inserted == 1;
    }

    private Job NewJob(string kind, object payload, Guid? tenantId, string? idempotencyKey, DateTimeOffset? runAt, int maxAttempts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        if (idempotencyKey is { Length: 0 }) throw new ArgumentException("An idempotency key, when given, must not be empty.", nameof(idempotencyKey));
        var now = clock.GetUtcNow();
        return new Job
        {
            Id = Guid.CreateVersion7(), TenantId = tenantId, Kind = kind, Payload = JobPayload.Write(payload),
            IdempotencyKey = idempotencyKey, RunAt = runAt ?? now, MaxAttempts = maxAttempts, CreatedAt = now,
        };
    }
}

/// <summary>
/// Sends NOTIFY when SaveChanges writes a job that is due now. Sent on the same connection after the insert:
/// inside a transaction PostgreSQL holds it until commit (and drops it on rollback); otherwise the insert has
/// already committed. A lost notification costs at most one poll interval.
/// </summary>
[Singleton]
internal sealed class JobWakeUpInterceptor(TimeProvider clock) : SavingChangesInterceptor
{
    internal const string NotifySql = $"select pg_notify('{JobQueue.Channel}', '')";

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (TakeSignal(eventData.Context) && eventData.Context is { } context) context.Database.ExecuteSqlRaw(NotifySql);
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (TakeSignal(eventData.Context) && eventData.Context is { } context) await context.Database.ExecuteSqlRawAsync(NotifySql, cancellationToken);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => TakeSignal(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        TakeSignal(eventData.Context);
        return Task.CompletedTask;
    }

    protected override void BeforeSave(DbContext? context)
    {
        if (context is not SwitchboardDbContext db) return;
        var now = clock.GetUtcNow();
        db.DueJobAdded = db.ChangeTracker.Entries<Job>().Any(e => e.State == EntityState.Added && e.Entity.RunAt <= now);
    }

    private static bool TakeSignal(DbContext? context)
    {
        if (context is not SwitchboardDbContext db) return false;
        var signal = db.DueJobAdded;
        db.DueJobAdded = false;
        return signal;
    }
}
