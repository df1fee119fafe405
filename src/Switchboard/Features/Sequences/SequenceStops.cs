using Switchboard.Platform;
using Switchboard.Features.Leads;
using Switchboard.Features.Contacts;
using Switchboard.Features.Calls;
using Switchboard.Features.Outreach;

namespace Switchboard.Features.Sequences;

/// <summary>
/// Stopping an enrolment (ADR 0060): the reason, the time and the evidence are recorded on it, and its queued email is
/// cancelled, all in the caller's transaction (nothing here commits). Every stop rule — reply, connected call,
/// unsubscribe or bounce, status change, a failed email, a member's stop — comes through here.
/// </summary>
[Scoped]
public sealed class SequenceStops(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    /// <summary>The person's open (active or paused) enrolments, locked against the scheduler until the caller commits.</summary>
    public async Task<List<SequenceEnrolment>> OpenForAsync(string relatedType, Guid relatedId, CancellationToken ct)
    {
        var tenant = ctx.RequiredTenantId;
        return await db.Set<SequenceEnrolment>()
            .FromSql($"select * from sequence_enrolments where tenant_id = {tenant} and related_type = {relatedType} and related_id = {relatedId} and status in ('active', 'paused') for update")
            .ToListAsync(ct);
    }

    /// <summary>One enrolment, locked until the caller commits (the scheduler and the observers take the same lock).</summary>
    public async Task<SequenceEnrolment?> LockAsync(Guid enrolmentId, CancellationToken ct)
    {
        var tenant = ctx.RequiredTenantId;
        return await db.Set<SequenceEnrolment>()
            .FromSql($"select * from sequence_enrolments where tenant_id = {tenant} and id = {enrolmentId} for update")
            .SingleOrDefaultAsync(ct);
    }

    public async Task StopAsync(SequenceEnrolment enrolment, string reason, string? detail, string? evidenceId, CancellationToken ct)
    {
        if (!enrolment.IsOpen) return;
        var now = clock.GetUtcNow();
        enrolment.Status = EnrolmentStatuses.Stopped;
        enrolment.StopReason = reason;
        enrolment.StopDetail = detail;
        enrolment.StopEvidenceId = evidenceId;
        enrolment.StoppedAt = now;
        enrolment.StoppedBy = reason == StopReasons.Manual ? ctx.UserId : null;
        enrolment.DueAt = null;
        enrolment.LockedBy = null;
        enrolment.LockedUntil = null;
        enrolment.UpdatedAt = now;
        await CancelQueuedAsync(enrolment, ct);
    }

    /// <summary>The enrolment's emails still waiting in the queue are cancelled (the sender skips them).</summary>
    public async Task CancelQueuedAsync(SequenceEnrolment enrolment, CancellationToken ct)
    {
        var queued = await db.Set<OutboundEmail>()
            .Where(e => e.Source == OutboundEmailSources.Sequence && e.SourceId == enrolment.Id && e.Status == OutboundEmailStatus.Queued)
            .ToListAsync(ct);
        foreach (var email in queued) email.Status = OutboundEmailStatus.Cancelled;
        enrolment.AwaitingEmailId = null;
    }
}

/// <summary>The tenant's holidays and a person's clock, for the sequence steps' times.</summary>
[Scoped]
public sealed class SequenceCalendar(SwitchboardDbContext db, TenantContext ctx, TenantHolidays holidays)
{
    public Task<IReadOnlySet<DateOnly>> HolidaysAsync(CancellationToken ct) => holidays.DaysAsync(ct);

    /// <summary>The person's zone: a lead's own zone, else its number's; a contact's number's; else the tenant's.</summary>
    public async Task<TimeZoneInfo> ZoneOfAsync(string relatedType, Guid relatedId, CancellationToken ct)
    {
        if (relatedType == "lead")
        {
            var lead = await db.Leads.AsNoTracking().Where(l => l.Id == relatedId).Select(l => new { l.TimeZone, l.Phone }).SingleOrDefaultAsync(ct);
            return CallbackTimes.ZoneOf(lead?.TimeZone, lead?.Phone, ctx.Tenant);
        }
        var phones = await db.Set<Contact>().AsNoTracking().Where(c => c.Id == relatedId).Select(c => c.Phones).SingleOrDefaultAsync(ct);
        return CallbackTimes.ZoneOf(null, phones?.FirstOrDefault(), ctx.Tenant);
    }

    public static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + zone.Id;
}
