using Switchboard.Features.Audit;
using Switchboard.Features.Telephony;

namespace Switchboard.Features.Retention;

/// <summary>Reading and changing a tenant's retention (administrators). Changes are audited: the settings row by the audit interceptor, the audit retention as audit.retention-changed.</summary>
[Scoped]
public sealed class RetentionSettingsService(SwitchboardDbContext db, TenantContext ctx, AuditRetention auditRetention, IOptions<RetentionOptions> options, TimeProvider clock)
{
    public const int MaximumDays = AuditRetention.MaximumDays;

    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    private int AuditMinimumDays => options.Value.AuditMinimumDays;

    public async Task<Outcome<RetentionSettingsDto>> GetAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<RetentionSettingsDto>.Forbidden("Only administrators can see the data retention.");
        return await ReadAsync(ct);
    }

    public async Task<Outcome<RetentionSettingsDto>> PutAsync(RetentionSettingsWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<RetentionSettingsDto>.Forbidden("Only administrators can change the data retention.");
        var errors = body.BindingErrors();
        foreach (var (field, label, days) in Classes(body))
            if (days is < 1 or > MaximumDays)
                errors.Add(field, $"Keep {label} for 1 to {MaximumDays:N0} days, or leave it empty to keep them for ever.");
        if (body.AuditEntriesDays.Value is < 1 or > MaximumDays || body.AuditEntriesDays.Value < AuditMinimumDays)
            errors.Add("auditEntriesDays", $"Keep audit entries for {AuditMinimumDays:N0} to {MaximumDays:N0} days (the legal minimum is {AuditMinimumDays:N0}), or leave it empty to keep them for ever.");
        if (!errors.IsValid) return new Outcome<RetentionSettingsDto>.Invalid(errors.ToDictionary());

        var tenantId = ctx.RequiredTenantId;
        await using var work = await db.BeginUnitOfWorkAsync(ct);
        var settings = await db.Set<RetentionSettings>().SingleOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new RetentionSettings { TenantId = tenantId, UpdatedAt = clock.GetUtcNow() };
            db.Add(settings);
        }
        settings.RecordingsDays = body.RecordingsDays.Value;
        settings.TranscriptsDays = body.TranscriptsDays.Value;
        settings.CallLogsDays = body.CallLogsDays.Value;
        settings.EmailBodiesDays = body.EmailBodiesDays.Value;
        settings.ClosedTicketsDays = body.ClosedTicketsDays.Value;
        settings.DeletedRecordsDays = body.DeletedRecordsDays.Value;
        await db.SaveChangesAsync(ct);
        // The audit retention keeps its one home (tenants.audit_retention_days, ADR 0038); its service audits the change.
        if (await auditRetention.UpdateAsync(new AuditRetentionWrite { RetentionDays = Optional.Of(body.AuditEntriesDays.Value) }, ct) is { Problem: { } problem })
            return new Outcome<RetentionSettingsDto>.Invalid(new Dictionary<string, string[]> { ["auditEntriesDays"] = [problem] });
        await work.CommitAsync(ct);
        return await ReadAsync(ct);
    }

    /// <summary>The tenant's retention (no row: everything for ever); callers have checked the role or are system work.</summary>
    public async Task<RetentionSettingsDto> ReadAsync(CancellationToken ct)
    {
        var tenantId = ctx.RequiredTenantId;
        var s = await db.Set<RetentionSettings>().AsNoTracking().SingleOrDefaultAsync(ct) ?? new RetentionSettings { TenantId = tenantId };
        var auditDays = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.AuditRetentionDays).SingleAsync(ct);
        return new RetentionSettingsDto(s.RecordingsDays, s.TranscriptsDays, s.CallLogsDays, s.EmailBodiesDays, s.ClosedTicketsDays, s.DeletedRecordsDays,
            auditDays, AuditMinimumDays, MaximumDays, await RecordingDeletionsAsync(tenantId, ct));
    }

    /// <summary>
    /// This tenant's unfinished <see cref="RecordingDeletion"/> jobs. The job table is the platform's (no row-level
    /// security), so the tenant is in the query; index jobs_unfinished_by_tenant_kind serves it.
    /// </summary>
    private async Task<RecordingDeletionsDto> RecordingDeletionsAsync(Guid tenantId, CancellationToken ct)
    {
        var unfinished = db.Jobs.AsNoTracking().Where(j => j.TenantId == tenantId && j.Kind == RecordingDeletion.JobKind && j.CompletedAt == null);
        var counts = await unfinished.GroupBy(j => j.FailedAt != null).Select(g => new { Failed = g.Key, Count = g.Count() }).ToListAsync(ct);
        // The latest given-up job's error first (the one an administrator must act on), else a retrying job's.
        var lastError = await unfinished.Where(j => j.LastError != null)
            .OrderBy(j => j.FailedAt == null).ThenByDescending(j => j.FailedAt).ThenByDescending(j => j.RunAt)
            .Select(j => j.LastError).FirstOrDefaultAsync(ct);
        return new RecordingDeletionsDto(counts.Where(c => !c.Failed).Sum(c => c.Count), counts.Where(c => c.Failed).Sum(c => c.Count), lastError);
    }

    private static IEnumerable<(string Field, string Label, int? Days)> Classes(RetentionSettingsWrite body) =>
    [
        ("recordingsDays", "recordings", body.RecordingsDays.Value),
        ("transcriptsDays", "transcripts", body.TranscriptsDays.Value),
        ("callLogsDays", "call logs", body.CallLogsDays.Value),
        ("emailBodiesDays", "email bodies", body.EmailBodiesDays.Value),
        ("closedTicketsDays", "closed tickets", body.ClosedTicketsDays.Value),
        ("deletedRecordsDays", "deleted records", body.DeletedRecordsDays.Value),
    ];
}
