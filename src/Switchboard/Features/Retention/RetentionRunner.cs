namespace Switchboard.Features.Retention;

/// <summary>What a run found (dry run) or removed (execute) in one class: rows, the oldest of them, the cutoff it applied.</summary>
public sealed record RetentionClassResult(string Class, string Label, int? Days, DateTimeOffset? Cutoff, long Rows, DateTimeOffset? Oldest);

public sealed record RetentionRunResult(Guid TenantId, bool DryRun, IReadOnlyList<RetentionClassResult> Classes)
{
    public long Rows => Classes.Sum(c => c.Rows);
}

/// <summary>
/// Applies the current tenant's retention (ADR 0066): a dry run counts what is due per class; an execute removes it in
/// batches of <see cref="RetentionOptions.BatchSize"/>, each batch its own transaction, then purges audit entries
/// through <c>audit_purge_expired()</c> (which keeps the hash chain verifiable, ADR 0038). Every run writes one
/// audit row with its counts per class. The caller has entered the tenant (a job, the command line).
/// </summary>
[Scoped]
public sealed class RetentionRunner(SwitchboardDbContext db, TenantContext ctx, RetentionSettingsService settings, AuditLog audit,
    IOptions<RetentionOptions> options, TimeProvider clock)
{
    private sealed record Found(long Count, DateTimeOffset? Oldest);

    private sealed record PurgeResult(long Purged, long? ThroughSeq);

    public async Task<RetentionRunResult> RunAsync(bool dryRun, string trigger, CancellationToken ct)
    {
        var tenantId = ctx.RequiredTenantId;
        var retention = await settings.ReadAsync(ct);
        var now = clock.GetUtcNow();
        var results = new List<RetentionClassResult>();
        foreach (var @class in RetentionClasses.All)
        {
            if (@class.Days(retention) is not { } days)
            {
                results.Add(new RetentionClassResult(@class.Key, @class.Label, null, null, 0, null));
                continue;
            }
            var cutoff = now.AddDays(-days);
            long rows = 0;
            DateTimeOffset? oldest = null;
            foreach (var part in @class.Parts)
            {
                var found = await CountAsync(part, tenantId, cutoff, ct);
                oldest = Min(oldest, found.Oldest);
                rows += dryRun ? found.Count : await RemoveAsync(part, tenantId, cutoff, now, ct);
            }
            results.Add(new RetentionClassResult(@class.Key, @class.Label, days, cutoff, rows, oldest));
        }
        results.Add(await AuditEntriesAsync(tenantId, retention.AuditEntriesDays, dryRun, ct));

        var run = new RetentionRunResult(tenantId, dryRun, results);
        audit.Add(dryRun ? AuditActions.RetentionPreviewed : AuditActions.RetentionApplied, tenantId, "retention", null, new
        {
            trigger,
            rows = run.Rows,
            classes = results.ToDictionary(r => r.Class, r => new { days = r.Days, rows = r.Rows, cutoff = r.Cutoff, oldest = r.Oldest }),
        });
        await db.SaveChangesAsync(ct);
        return run;
    }

    private async Task<Found> CountAsync(RetentionPart part, Guid tenantId, DateTimeOffset cutoff, CancellationToken ct) =>
        (await db.Database.SqlQueryRaw<Found>(part.Count, tenantId, cutoff).ToListAsync(ct)).Single();

    /// <summary>Batches until one comes back short; each batch commits on its own, so a long run never holds a long transaction.</summary>
    private async Task<long> RemoveAsync(RetentionPart part, Guid tenantId, DateTimeOffset cutoff, DateTimeOffset now, CancellationToken ct)
    {
        var batch = options.Value.BatchSize;
        long removed = 0;
        while (true)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var rows = await db.Database.ExecuteSqlRawAsync(part.Batch, [tenantId, cutoff, batch, now], ct);
            await tx.CommitAsync(ct);
            removed += rows;
            if (rows < batch) return removed;
        }
    }

    /// <summary>
    /// Audit entries: the longest prefix of the chain that occurred before now() − the retention (the database's clock,
    /// as <c>audit_purge_expired()</c> compares), counted with the purge's own rule, or purged by it in one transaction.
    /// </summary>
    private async Task<RetentionClassResult> AuditEntriesAsync(Guid tenantId, int? days, bool dryRun, CancellationToken ct)
    {
        const string label = "Audit entries";
        if (days is null) return new RetentionClassResult(RetentionClasses.Audit, label, null, null, 0, null);
        var cutoff = (await db.Database.SqlQueryRaw<DateTimeOffset>("""select now() - make_interval(days => {0}) as "Value" """, days.Value).ToListAsync(ct)).Single();
        var found = (await db.Database.SqlQueryRaw<Found>("""
            select count(*) as "Count", min(a.occurred_at) as "Oldest"
            from audit_chain l join audit_log a on a.id = l.audit_id
            where l.chain_id = {0}
              and l.seq < coalesce((select min(k.seq) from audit_chain k join audit_log r on r.id = k.audit_id
                                    where k.chain_id = {0} and r.occurred_at >= {1}), 9223372036854775807)
            """, tenantId, cutoff).ToListAsync(ct)).Single();
        if (dryRun) return new RetentionClassResult(RetentionClasses.Audit, label, days, cutoff, found.Count, found.Oldest);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var purged = (await db.Database.SqlQueryRaw<PurgeResult>("""
            select purged as "Purged", through_seq as "ThroughSeq" from audit_purge_expired()
            """).ToListAsync(ct)).SingleOrDefault();
        await tx.CommitAsync(ct);
        return new RetentionClassResult(RetentionClasses.Audit, label, days, cutoff, purged?.Purged ?? 0, found.Oldest);
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
