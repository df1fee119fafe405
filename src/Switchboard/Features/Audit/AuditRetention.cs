namespace Switchboard.Features.Audit;

public sealed record AuditRetentionDto(int? RetentionDays, int MinimumDays, int MaximumDays);

/// <summary>The body of PATCH /api/v1/audit/retention.</summary>
public sealed record AuditRetentionWrite : RequestBody
{
    /// <summary>Days to keep audit rows, from 365 to 36,500; null keeps them for ever.</summary>
    public Optional<int?> RetentionDays { get; init; }
}

/// <summary>What one purge did: rows deleted, the chain number they went up to, and the cutoff (rows before it were due).</summary>
public sealed record AuditPurgeResult(long Purged, long? ThroughSeq, DateTimeOffset? Cutoff, int? RetentionDays);

/// <summary>
/// How long a tenant keeps its audit rows (admins set it; null keeps them for ever, the default) and the purge that
/// enforces it. The purge runs in PostgreSQL (audit_purge_expired, SECURITY DEFINER: the runtime role cannot delete
/// audit rows): it deletes the oldest rows of the chain past the retention and records where the chain now starts, so
/// the chain still verifies (ADR 0038). The purge and its audit.purged row commit together.
/// </summary>
[Scoped]
public sealed class AuditRetention(SwitchboardDbContext db, TenantContext ctx, AuditLog audit, TimeProvider clock, IOptions<Retention.RetentionOptions> options)
{
    /// <summary>A year: audit rows answer "who did this" for at least the span of an annual review (the database's floor).</summary>
    public const int MinimumDays = 365;

    /// <summary>The platform's minimum, <c>Retention:AuditMinimumDays</c> (ADR 0066): <see cref="MinimumDays"/> or more.</summary>
    private int Minimum => options.Value.AuditMinimumDays;
    public const int MaximumDays = 36_500;

    public async Task<Outcome<AuditRetentionDto>> GetAsync(CancellationToken ct)
    {
        if (!AuditQueries.CanView(ctx)) return new Outcome<AuditRetentionDto>.Forbidden("Only administrators can see the audit retention.");
        var tenantId = ctx.RequiredTenantId;
        var days = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.AuditRetentionDays).SingleAsync(ct);
        return new AuditRetentionDto(days, Minimum, MaximumDays);
    }

    public async Task<Outcome<AuditRetentionDto>> UpdateAsync(AuditRetentionWrite patch, CancellationToken ct)
    {
        if (!AuditQueries.CanView(ctx)) return new Outcome<AuditRetentionDto>.Forbidden("Only administrators can change the audit retention.");
        var errors = patch.BindingErrors();
        if (patch.RetentionDays is { IsSet: true, Value: { } days } && (days < Minimum || days > MaximumDays))
            errors.Add("retentionDays", $"Keep audit events for {Minimum:N0} to {MaximumDays:N0} days, or leave it empty to keep them for ever.");
        if (!errors.IsValid) return new Outcome<AuditRetentionDto>.Invalid(errors.ToDictionary());

        var tenantId = ctx.RequiredTenantId;
        var tenant = await db.Tenants.SingleAsync(t => t.Id == tenantId, ct);
        if (patch.RetentionDays.IsSet && patch.RetentionDays.Value != tenant.AuditRetentionDays)
        {
            // In the shape of a record change, so the viewer shows it as one: "Retention days 365 → 400".
            audit.Add(AuditActions.AuditRetentionChanged, tenantId, "tenant", tenantId.ToString(),
                new { retentionDays = new { old = tenant.AuditRetentionDays, @new = patch.RetentionDays.Value } });
            tenant.AuditRetentionDays = patch.RetentionDays.Value;
            tenant.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
        return new AuditRetentionDto(tenant.AuditRetentionDays, Minimum, MaximumDays);
    }

    /// <summary>Deletes the current tenant's audit rows past its retention (the daily job calls it) and audits what it did.</summary>
    public async Task<Outcome<AuditPurgeResult>> PurgeAsync(CancellationToken ct)
    {
        if (!AuditQueries.CanView(ctx)) return new Outcome<AuditPurgeResult>.Forbidden("Only administrators can purge the audit log.");
        await using var work = await db.BeginUnitOfWorkAsync(ct);
        var result = (await db.Database.SqlQuery<AuditPurgeResult>($"""
            select purged as "Purged", through_seq as "ThroughSeq", cutoff as "Cutoff", retention_days as "RetentionDays" from audit_purge_expired()
            """).ToListAsync(ct)).SingleOrDefault() ?? new AuditPurgeResult(0, null, null, null);
        if (result.Purged > 0)
        {
            audit.Add(AuditActions.AuditPurged, ctx.RequiredTenantId, "audit-log", null,
                new { rows = result.Purged, throughSeq = result.ThroughSeq, before = result.Cutoff, result.RetentionDays });
            await db.SaveChangesAsync(ct);
        }
        await work.CommitAsync(ct);
        return result;
    }
}

/// <summary>The daily purge of one tenant's expired audit rows (job <c>audit.purge</c>, enqueued by <see cref="AuditRetentionSweep"/>).</summary>
public sealed class AuditPurge(AuditRetention retention) : IJobHandler
{
    public const string JobKind = "audit.purge";

    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        if (await retention.PurgeAsync(ct) is { Problem: { } problem }) throw new InvalidOperationException(problem);
    }
}

/// <summary>
/// Once a day at <see cref="RunsAt"/> UTC (job <c>audit.retention-sweep</c>, platform-wide): enqueues tomorrow's sweep
/// first, so a failure here never ends the schedule, then one <see cref="AuditPurge"/> per tenant that has a retention.
/// Idempotency keys carry the day, so several instances schedule and sweep each day once.
/// </summary>
public sealed class AuditRetentionSweep(SwitchboardDbContext db, JobQueue jobs, TimeProvider clock) : IJobHandler
{
    public const string JobKind = "audit.retention-sweep";
    public static readonly TimeOnly RunsAt = new(3, 0);

    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await ScheduleAsync(jobs, today.AddDays(1), ct);
        var tenants = await db.Tenants.AsNoTracking().Where(t => t.AuditRetentionDays != null).Select(t => t.Id).ToListAsync(ct);
        foreach (var tenantId in tenants)
            await jobs.EnqueueNowAsync(AuditPurge.JobKind, new { }, tenantId, $"{AuditPurge.JobKind}:{tenantId}:{today:yyyy-MM-dd}", ct: ct);
    }

    /// <summary>The sweep of <paramref name="day"/>, at <see cref="RunsAt"/> UTC (at once when that has passed); nothing when it is queued already.</summary>
    public static Task<bool> ScheduleAsync(JobQueue jobs, DateOnly day, CancellationToken ct) => DailyJobs.ScheduleAsync(jobs, JobKind, RunsAt, day, ct);
}
