using Switchboard.Features.Leads;
using Switchboard.Features.Activities;
using Switchboard.Features.Contacts;
using Switchboard.Features.Dialer;
using Switchboard.Features.Outreach;
using Switchboard.Platform;

namespace Switchboard.Features.Sequences;

/// <summary>
/// Runs one enrolment's due step, once (ADR 0060), in one transaction that also moves the enrolment on: an email step
/// enqueues its outbound email (idempotency key <c>sequence:{enrolment}:{step}</c>, not before the window's next opening
/// on the recipient's clock) and leaves the enrolment waiting for the email's outcome (<see cref="SequenceEmailOutcomes"/>);
/// a call step puts the person into the assignee's dialer queue, due first; a task step creates the assignee's task; a
/// wait step makes the next step due N business days later. A sequence_step_runs row per step is the guard against a
/// second run. The caller has entered the enrolment's tenant.
/// </summary>
// Wide on purpose: database, tenant and clock are ambient; the rest are what the four step kinds write into.
[Scoped]
public sealed class SequenceStepRunner(
    SwitchboardDbContext db, SequenceStops stops, SequenceCalendar calendar, OutboundEmails outbound, TaskReminders reminders, TimeProvider clock)
{
    public const string QueueName = "Sequence calls";

    /// <summary>Runs the enrolment's step when it is due; false when there was nothing to do (not due, stopped, or gone).</summary>
    public async Task<bool> RunAsync(Guid enrolmentId, CancellationToken ct)
    {
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var enrolment = await stops.LockAsync(enrolmentId, ct);
        var now = clock.GetUtcNow();
        if (enrolment is not { Status: EnrolmentStatuses.Active, DueAt: { } due } || due > now)
        {
            if (enrolment is not null) Release(enrolment, now);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return false;
        }
        var sequence = await db.Set<Sequence>().AsNoTracking().SingleAsync(s => s.Id == enrolment.SequenceId, ct);
        if (!sequence.IsActive)
        {
            // A paused sequence keeps its people where they are; the lease keeps the scheduler from claiming them again at once.
            enrolment.LockedBy = null;
            enrolment.LockedUntil = now.AddMinutes(5);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return false;
        }
        var steps = sequence.StepList;
        if (enrolment.StepIndex < steps.Count)
        {
            var ran = await db.Set<SequenceStepRun>().AnyAsync(r => r.EnrolmentId == enrolment.Id && r.StepIndex == enrolment.StepIndex, ct);
            if (ran) Advance(enrolment, steps.Count, now, now);
            else await RunStepAsync(sequence, steps, enrolment, now, ct);
        }
        else Advance(enrolment, steps.Count, now, now);
        Release(enrolment, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private async Task RunStepAsync(Sequence sequence, IReadOnlyList<SequenceStep> steps, SequenceEnrolment enrolment, DateTimeOffset now, CancellationToken ct)
    {
        var step = steps[enrolment.StepIndex];
        var run = new SequenceStepRun { TenantId = enrolment.TenantId, EnrolmentId = enrolment.Id, StepIndex = enrolment.StepIndex, Kind = step.Type!, RanAt = now };
        var person = await PersonAsync(enrolment, ct);
        switch (step.Type)
        {
            case StepTypes.Email:
                if (!await EmailAsync(sequence, steps, step, enrolment, person, run, now, ct)) return;
                break;
            case StepTypes.Call:
                await CallAsync(step, enrolment, person, run, now, ct);
                Advance(enrolment, steps.Count, now, now);
                break;
            case StepTypes.Task:
                await TaskAsync(step, enrolment, run, now, ct);
                Advance(enrolment, steps.Count, now, now);
                break;
            case StepTypes.Wait:
                var zone = await calendar.ZoneOfAsync(enrolment.RelatedType, enrolment.RelatedId, ct);
                var next = BusinessCalendar.AddBusinessDays(now, step.Days ?? 1, zone, BusinessWindow.Weekdays, await calendar.HolidaysAsync(ct));
                run.Note = $"Next step due {SequenceCalendar.Local(next, zone)}";
                run.CompletedAt = now;
                Advance(enrolment, steps.Count, next, now);
                break;
        }
        db.Add(run);
    }

    /// <summary>Enqueues the step's email; false when the enrolment stopped instead (suppressed address, no mailbox).</summary>
    private async Task<bool> EmailAsync(Sequence sequence, IReadOnlyList<SequenceStep> steps, SequenceStep step, SequenceEnrolment enrolment, Person person,
        SequenceStepRun run, DateTimeOffset now, CancellationToken ct)
    {
        var address = (person.Email ?? enrolment.Email)?.Trim().ToLowerInvariant();
        if (address is null)
        {
            run.Note = "Skipped: no email address.";
            run.CompletedAt = now;
            Advance(enrolment, steps.Count, now, now);
            return true;
        }
        if (await db.Set<Suppression>().AsNoTracking().SingleOrDefaultAsync(s => s.Address == address, ct) is { } suppressed)
        {
            var reason = suppressed.Reason is SuppressionReasons.Bounced ? StopReasons.Bounced : StopReasons.Unsubscribed;
            await stops.StopAsync(enrolment, reason, $"{address} is on the suppression list ({suppressed.Reason}).", address, ct);
            return false;
        }
        if (sequence.MailboxId is not { } mailboxId)
        {
            await stops.StopAsync(enrolment, StopReasons.EmailFailed, "The sequence has no mailbox to send from.", null, ct);
            return false;
        }
        var zone = await calendar.ZoneOfAsync(enrolment.RelatedType, enrolment.RelatedId, ct);
        var notBefore = BusinessCalendar.NextOpening(now, zone, sequence.Window, await calendar.HolidaysAsync(ct)) ?? now;
        var subject = step.Subject;
        if (step.ReplyInThread && step.TemplateId is null && PreviousEmail(steps, enrolment.StepIndex) is { Subject: { } previous })
            subject = previous.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? previous : "Re: " + previous;
        var email = await outbound.EnqueueAsync(new OutboundEmailRequest(
            $"sequence:{enrolment.Id}:{enrolment.StepIndex}", OutboundEmailSources.Sequence, enrolment.Id, mailboxId, address, person.Name,
            enrolment.RelatedType, enrolment.RelatedId, step.TemplateId, subject, step.Body, null, notBefore), ct);
        run.EvidenceId = email.Id;
        run.Note = $"Email queued, not before {SequenceCalendar.Local(notBefore, zone)}";
        if (email.Status == OutboundEmailStatus.Sent)
        {
            run.CompletedAt = email.SentAt ?? now;
            Advance(enrolment, steps.Count, now, now);
            return true;
        }
        enrolment.AwaitingEmailId = email.Id;
        enrolment.DueAt = null;
        enrolment.UpdatedAt = now;
        return true;
    }

    private static SequenceStep? PreviousEmail(IReadOnlyList<SequenceStep> steps, int index) =>
        steps.Take(index).LastOrDefault(s => s.Type == StepTypes.Email);

    private async Task CallAsync(SequenceStep step, SequenceEnrolment enrolment, Person person, SequenceStepRun run, DateTimeOffset now, CancellationToken ct)
    {
        if (person.DoNotCall || !person.HasPhone)
        {
            run.Note = person.DoNotCall ? "Skipped: do not call." : "Skipped: no phone number.";
            run.CompletedAt = now;
            return;
        }
        var assignee = enrolment.AssigneeId ?? enrolment.EnrolledBy;
        if (assignee is not { } userId)
        {
            run.Note = "Skipped: no assignee.";
            run.CompletedAt = now;
            return;
        }
        var queue = await db.Set<DialerQueue>().Where(q => q.UserId == userId).OrderBy(q => q.CreatedAt).FirstOrDefaultAsync(ct);
        if (queue is null)
        {
            queue = new DialerQueue
            {
                TenantId = enrolment.TenantId, Id = Guid.CreateVersion7(), UserId = userId, Name = QueueName,
                Filter = new DialerQueueFilter([], false, null, null).ToJson(),
            };
            db.Add(queue);
            // Saved first: the members' foreign key needs it, and EF knows no relationship to order them by.
            await db.SaveChangesAsync(ct);
        }
        if (enrolment.RelatedType == "lead")
        {
            if (!await db.Set<DialerQueueMember>().AnyAsync(m => m.QueueId == queue.Id && m.LeadId == enrolment.RelatedId, ct))
                db.Add(new DialerQueueMember { TenantId = enrolment.TenantId, QueueId = queue.Id, LeadId = enrolment.RelatedId, AddedAt = now, AddedBy = userId });
            // A due callback comes first in every queue's order: the sequence's call is due now.
            var lead = await db.Leads.SingleAsync(l => l.Id == enrolment.RelatedId, ct);
            if (lead.CallbackAt is null || lead.CallbackAt > now) lead.CallbackAt = now;
        }
        else if (!await db.Set<DialerQueueContact>().AnyAsync(m => m.QueueId == queue.Id && m.ContactId == enrolment.RelatedId, ct))
            db.Add(new DialerQueueContact { TenantId = enrolment.TenantId, QueueId = queue.Id, ContactId = enrolment.RelatedId, AddedAt = now, AddedBy = userId });
        var task = NewTask(enrolment, userId, $"Call {person.Name}" + (string.IsNullOrWhiteSpace(step.Note) ? "" : ": " + step.Note), now);
        task.Body = step.Note;
        db.Add(task);
        await reminders.FollowDueAsync(task, ct);
        run.EvidenceId = queue.Id;
        run.Note = $"In dialer queue '{queue.Name}'" + (string.IsNullOrWhiteSpace(step.Note) ? "" : ": " + step.Note);
        run.CompletedAt = now;
    }

    private async Task TaskAsync(SequenceStep step, SequenceEnrolment enrolment, SequenceStepRun run, DateTimeOffset now, CancellationToken ct)
    {
        var due = now;
        if (step.DueDays is > 0 and var days)
        {
            var zone = await calendar.ZoneOfAsync(enrolment.RelatedType, enrolment.RelatedId, ct);
            due = BusinessCalendar.AddBusinessDays(now, days, zone, BusinessWindow.Weekdays, await calendar.HolidaysAsync(ct));
        }
        var task = NewTask(enrolment, enrolment.AssigneeId ?? enrolment.EnrolledBy, step.Title ?? "Sequence task", due);
        db.Add(task);
        await reminders.FollowDueAsync(task, ct);
        run.EvidenceId = task.Id;
        run.Note = "Task created";
        run.CompletedAt = now;
    }

    private static Activity NewTask(SequenceEnrolment enrolment, Guid? assignee, string subject, DateTimeOffset due) => new()
    {
        TenantId = enrolment.TenantId, Id = Guid.CreateVersion7(), Type = ActivityTypes.Task, Subject = subject.Length > 300 ? subject[..300] : subject,
        DueAt = due, AssigneeId = assignee, RelatedType = enrolment.RelatedType, RelatedId = enrolment.RelatedId,
    };

    /// <summary>
    /// On to the next step, due at <paramref name="due"/>; completed after the last — once a closing wait has passed
    /// (until then the enrolment stays active past its last step, due when the wait ends).
    /// </summary>
    internal static void Advance(SequenceEnrolment enrolment, int stepCount, DateTimeOffset due, DateTimeOffset now)
    {
        enrolment.StepIndex = Math.Min(enrolment.StepIndex + 1, stepCount);
        enrolment.AwaitingEmailId = null;
        if (enrolment.StepIndex >= stepCount && due <= now)
        {
            enrolment.Status = EnrolmentStatuses.Completed;
            enrolment.CompletedAt = now;
            enrolment.DueAt = null;
        }
        else enrolment.DueAt = due;
        enrolment.UpdatedAt = now;
    }

    private static void Release(SequenceEnrolment enrolment, DateTimeOffset now)
    {
        enrolment.LockedBy = null;
        enrolment.LockedUntil = null;
        enrolment.LastError = null;
        enrolment.UpdatedAt = now;
    }

    private async Task<Person> PersonAsync(SequenceEnrolment enrolment, CancellationToken ct)
    {
        if (enrolment.RelatedType == "lead")
        {
            var lead = await db.Leads.AsNoTracking().Where(l => l.Id == enrolment.RelatedId)
                .Select(l => new Person((l.FirstName + " " + l.LastName).Trim(), l.Email, l.DoNotCall, l.Phone != null)).SingleOrDefaultAsync(ct);
            return lead ?? new Person("", null, false, false);
        }
        var contact = await db.Set<Contact>().AsNoTracking().Where(c => c.Id == enrolment.RelatedId)
            .Select(c => new { Name = (c.FirstName + " " + c.LastName).Trim(), c.Emails, c.Phones }).SingleOrDefaultAsync(ct);
        return contact is null ? new Person("", null, false, false) : new Person(contact.Name, contact.Emails.FirstOrDefault(), false, contact.Phones.Count > 0);
    }

    private sealed record Person(string Name, string? Email, bool DoNotCall, bool HasPhone);
}
