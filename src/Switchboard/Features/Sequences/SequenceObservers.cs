using Microsoft.EntityFrameworkCore.Diagnostics;
using Switchboard.Features.Calls;
using Switchboard.Features.Leads;
using Switchboard.Features.Mailboxes;
using Switchboard.Features.Outreach;

namespace Switchboard.Features.Sequences;

/// <summary>
/// Hears the outcome of a sequence's outbound email inside the sender's transaction (ADR 0060): <c>sent</c> moves the
/// enrolment to its next step (the send is recorded in the same transaction, so the next step is never scheduled before
/// it); <c>failed</c> stops the enrolment with the error; <c>suppressed</c> and a later bounce stop it as unsubscribed or
/// bounced. Flushes its changes but never commits.
/// </summary>
[Scoped]
public sealed class SequenceEmailOutcomes(SwitchboardDbContext db, SequenceStops stops, TimeProvider clock) : IOutboundEmailOutcomeObserver
{
    public async Task OnOutcomeAsync(OutboundEmail email, CancellationToken ct)
    {
        if (email.Source != OutboundEmailSources.Sequence) return;
        var enrolment = await stops.LockAsync(email.SourceId, ct);
        if (enrolment is null) return;
        var evidence = email.Id.ToString();
        // An unsubscribe (or a hard bounce) comes as a call with the sent email and its address just suppressed, in the
        // same unit of work: the suppression may not be saved yet.
        var suppression = db.ChangeTracker.Entries<Suppression>().Select(e => e.Entity).FirstOrDefault(s => s.Address == email.ToAddress)
                          ?? await db.Set<Suppression>().AsNoTracking().SingleOrDefaultAsync(s => s.Address == email.ToAddress, ct);
        if (email.BouncedAt is not null)
            await stops.StopAsync(enrolment, StopReasons.Bounced, $"The email to {email.ToAddress} bounced.", evidence, ct);
        else if (suppression is not null && email.Status is OutboundEmailStatus.Sent or OutboundEmailStatus.Suppressed)
        {
            var reason = suppression.Reason is SuppressionReasons.Bounced ? StopReasons.Bounced : StopReasons.Unsubscribed;
            await stops.StopAsync(enrolment, reason, $"{email.ToAddress} is on the suppression list ({suppression.Reason}).", evidence, ct);
        }
        else if (email.Status == OutboundEmailStatus.Sent)
            await SentAsync(enrolment, email, ct);
        else if (email.Status == OutboundEmailStatus.Failed)
            await stops.StopAsync(enrolment, StopReasons.EmailFailed, email.Error ?? "The email could not be sent.", evidence, ct);
        else if (email.Status == OutboundEmailStatus.Suppressed)
            await stops.StopAsync(enrolment, StopReasons.Unsubscribed, $"{email.ToAddress} is suppressed.", evidence, ct);
        await db.SaveChangesAsync(ct);
    }

    private async Task SentAsync(SequenceEnrolment enrolment, OutboundEmail email, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var run = await db.Set<SequenceStepRun>().SingleOrDefaultAsync(r => r.EnrolmentId == enrolment.Id && r.EvidenceId == email.Id, ct);
        if (run is not null) run.CompletedAt ??= email.SentAt ?? now;
        if (!enrolment.IsOpen || enrolment.AwaitingEmailId != email.Id) return;
        var steps = await db.Set<Sequence>().AsNoTracking().Where(s => s.Id == enrolment.SequenceId).Select(s => s.Steps).SingleAsync(ct);
        SequenceStepRunner.Advance(enrolment, SequenceStep.Read(steps).Count, now, now);
    }
}

/// <summary>
/// Stops a person's open enrolments when a message from them arrives after they were enrolled (ADR 0060): the mailbox
/// watcher stores it and raises the inbound notice at once, so the stop follows within the watcher's delay. Idempotent
/// (a stopped enrolment stays stopped).
/// </summary>
[Scoped]
public sealed class SequenceReplies(SwitchboardDbContext db, SequenceStops stops) : IInboundEmailObserver
{
    public async Task OnInboundAsync(InboundEmail email, CancellationToken ct)
    {
        var people = email.Links.Where(l => l.RelatedType is "lead" or "contact").ToList();
        if (people.Count == 0) return;
        var message = await db.Set<EmailMessage>().AsNoTracking().Where(m => m.Id == email.EmailId)
            .Select(m => new { m.Direction, m.SentAt, m.Subject }).SingleOrDefaultAsync(ct);
        if (message is not { Direction: "inbound" }) return;
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        foreach (var person in people)
            foreach (var enrolment in await stops.OpenForAsync(person.RelatedType, person.RelatedId, ct))
                // A Date header has whole seconds: a reply dated in the second of the enrolment counts.
                if (message.SentAt >= enrolment.EnrolledAt.AddTicks(-(enrolment.EnrolledAt.UtcTicks % TimeSpan.TicksPerSecond)))
                    await stops.StopAsync(enrolment, StopReasons.Replied, $"Reply from {email.FromAddress}: {message.Subject}", email.EmailId.ToString(), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}

/// <summary>A call dispositioned as connected with a person stops their open enrolments, in the outcome's transaction.</summary>
[Scoped]
public sealed class SequenceCallStops(SequenceStops stops) : ICallOutcomeObserver
{
    public async Task OnCallOutcomeAsync(Call call, bool connected, CancellationToken ct)
    {
        if (!connected) return;
        var (type, id) = call.LeadId is { } lead ? ("lead", lead) : call.ContactId is { } contact ? ("contact", contact) : (null, Guid.Empty);
        if (type is null) return;
        foreach (var enrolment in await stops.OpenForAsync(type, id, ct))
            await stops.StopAsync(enrolment, StopReasons.CallConnected, $"Call dispositioned '{call.Disposition}'.", call.Id.ToString(), ct);
    }
}

/// <summary>
/// A lead's status changing to one of a sequence's stop statuses stops the lead's enrolment in that sequence, in the
/// same save as the change (whatever changed it: the API, a page, a call outcome, a bulk action, an import).
/// </summary>
[Singleton]
public sealed class SequenceStatusStops(TimeProvider clock) : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is SwitchboardDbContext db) await StopAsync(db, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is SwitchboardDbContext db) StopAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    private async Task StopAsync(SwitchboardDbContext db, CancellationToken ct)
    {
        var changed = db.ChangeTracker.Entries<Lead>()
            .Where(e => e.State == EntityState.Modified && e.Property(l => l.Status).IsModified && !Equals(e.Property(l => l.Status).OriginalValue, e.Entity.Status))
            .Select(e => (e.Entity.Id, Status: e.Entity.Status.ToName(), Previous: e.Property(l => l.Status).OriginalValue.ToName()))
            .ToList();
        if (changed.Count == 0) return;
        var ids = changed.Select(c => c.Id).ToList();
        var open = await (from e in db.Set<SequenceEnrolment>()
                          join s in db.Set<Sequence>() on e.SequenceId equals s.Id
                          where e.RelatedType == "lead" && ids.Contains(e.RelatedId) && (e.Status == EnrolmentStatuses.Active || e.Status == EnrolmentStatuses.Paused)
                          select new { Enrolment = e, s.StopStatuses }).ToListAsync(ct);
        if (open.Count == 0) return;
        var now = clock.GetUtcNow();
        foreach (var row in open)
        {
            var change = changed.First(c => c.Id == row.Enrolment.RelatedId);
            if (!row.StopStatuses.Contains(change.Status)) continue;
            var enrolment = row.Enrolment;
            if (!enrolment.IsOpen) continue; // stopped earlier in this unit of work (a connected call's outcome)
            enrolment.Status = EnrolmentStatuses.Stopped;
            enrolment.StopReason = StopReasons.StatusChanged;
            enrolment.StopDetail = $"Status changed from {change.Previous} to {change.Status}.";
            enrolment.StopEvidenceId = change.Id.ToString();
            enrolment.StoppedAt = now;
            enrolment.DueAt = null;
            enrolment.LockedBy = null;
            enrolment.LockedUntil = null;
            enrolment.UpdatedAt = now;
            var queued = await db.Set<OutboundEmail>()
                .Where(q => q.Source == OutboundEmailSources.Sequence && q.SourceId == enrolment.Id && q.Status == OutboundEmailStatus.Queued).ToListAsync(ct);
            foreach (var email in queued) email.Status = OutboundEmailStatus.Cancelled;
            enrolment.AwaitingEmailId = null;
        }
        db.ChangeTracker.DetectChanges();
    }
}
