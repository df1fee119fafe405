using Switchboard.Features.Bulk;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Features.Outreach;
using Switchboard.Features.Views;

namespace Switchboard.Features.Sequences;

/// <summary>
/// Enrolling people in a sequence and acting on their enrolments (ADR 0060). A member enrols the leads and contacts they
/// can see (record visibility); each is skipped with a reason when it has no email and the sequence emails, is
/// suppressed, is marked do-not-call and the sequence calls, or is already in the sequence. The assignee is the
/// record's owner, else the enrolling member. The first step is due at once.
/// </summary>
// Wide on purpose: database, tenant and clock are ambient; the selection kinds need the list targets and the views.
[Scoped]
public sealed class EnrolmentService(SwitchboardDbContext db, TenantContext ctx, BulkTargets lists, ViewService views, LeadService leads,
    ContactService contacts, SequenceStops stops, SequenceCalendar calendar, TimeProvider clock)
{
    /// <summary>The most people one request enrols (a larger list or view is refused with this number in the message).</summary>
    public const int MaxPerRequest = 5000;

    public async Task<Outcome<EnrolResult>> EnrolAsync(Guid sequenceId, EnrolRequest request, CancellationToken ct)
    {
        if (!SequenceService.CanEnrol(ctx)) return new Outcome<EnrolResult>.Forbidden("Your role cannot enrol people in sequences.");
        var sequence = await db.Set<Sequence>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == sequenceId, ct);
        if (sequence is null) return new Outcome<EnrolResult>.NotFound();
        var errors = new ValidationErrors();
        var given = new[] { request.LeadIds is not null, request.ContactIds is not null, request.ListSelection is not null, request.ViewId is not null }.Count(g => g);
        if (given != 1)
        {
            errors.Add("leadIds", "Give exactly one of leadIds, contactIds, listSelection or viewId.");
            return new Outcome<EnrolResult>.Invalid(errors.ToDictionary());
        }
        var (type, ids) = await ResolveAsync(request, errors, ct);
        if (!errors.IsValid || type is null) return new Outcome<EnrolResult>.Invalid(errors.ToDictionary());
        if (ids.Count > MaxPerRequest)
        {
            errors.Add(request.ViewId is not null ? "viewId" : "listSelection", $"More than {MaxPerRequest:N0} people are selected; narrow the selection.");
            return new Outcome<EnrolResult>.Invalid(errors.ToDictionary());
        }
        return await EnrolIdsAsync(sequence, type, ids, ct);
    }

    private async Task<(string? Type, IReadOnlyList<Guid> Ids)> ResolveAsync(EnrolRequest request, ValidationErrors errors, CancellationToken ct)
    {
        if (request.LeadIds is { } leadIds) return ("lead", leadIds.Distinct().ToList());
        if (request.ContactIds is { } contactIds) return ("contact", contactIds.Distinct().ToList());
        if (request.ListSelection is { } selection)
        {
            var entity = selection.Entity?.Trim().ToLowerInvariant();
            if (entity is not ("lead" or "contact"))
            {
                errors.Add("listSelection.entity", "Use lead or contact.");
                return (null, []);
            }
            if (selection.Ids is { } listed) return (entity, listed.Distinct().ToList());
            var target = lists.ForEntity(entity)!;
            var query = await target.SelectAsync(new BulkFilter(selection.Filter ?? new Dictionary<string, string[]>()), errors, ct);
            return query is null ? (null, []) : (entity, await query.Take(MaxPerRequest + 1).ToListAsync(ct));
        }
        var view = await views.FindAsync(request.ViewId!.Value, ct);
        if (view is null || view.Entity is not ("lead" or "contact"))
        {
            errors.Add("viewId", view is null ? "No such saved view." : "Pick a view of leads or contacts.");
            return (null, []);
        }
        var definition = view.Definition;
        if (view.Entity == "lead")
        {
            var rows = await leads.SelectAsync(new LeadQuery(definition.Search, null, null, definition.Sort, null, null), null, definition.Criteria, errors, ct);
            return rows is null ? (null, []) : ("lead", await rows.Ordered.Select(l => l.Id).Take(MaxPerRequest + 1).ToListAsync(ct));
        }
        var contactRows = await contacts.SelectAsync(new ContactQuery(definition.Search, null, null, definition.Sort, null, null), definition.Criteria, errors, ct);
        return contactRows is null ? (null, []) : ("contact", await contactRows.Ordered.Select(c => c.Id).Take(MaxPerRequest + 1).ToListAsync(ct));
    }

    private async Task<Outcome<EnrolResult>> EnrolIdsAsync(Sequence sequence, string type, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var steps = sequence.StepList;
        var emails = steps.Any(s => s.Type == StepTypes.Email);
        var calls = steps.Any(s => s.Type == StepTypes.Call);
        var people = type == "lead"
            ? await db.Leads.VisibleTo(ctx).AsNoTracking().Where(l => ids.Contains(l.Id))
                .Select(l => new Candidate(l.Id, l.Email, l.OwnerId, l.DoNotCall)).ToListAsync(ct)
            : (await db.Set<Contact>().VisibleTo(ctx).AsNoTracking().Where(c => ids.Contains(c.Id))
                .Select(c => new { c.Id, c.Emails, c.OwnerId }).ToListAsync(ct))
                .Select(c => new Candidate(c.Id, c.Emails.FirstOrDefault(), c.OwnerId, false)).ToList();
        var byId = people.ToDictionary(p => p.Id);
        var addresses = people.Select(p => p.Email?.Trim().ToLowerInvariant()).OfType<string>().ToList();
        var suppressed = await db.Set<Suppression>().AsNoTracking().Where(s => addresses.Contains(s.Address)).Select(s => s.Address).ToListAsync(ct);
        var enrolled = await db.Set<SequenceEnrolment>().AsNoTracking()
            .Where(e => e.SequenceId == sequence.Id && e.RelatedType == type && ids.Contains(e.RelatedId)
                        && (e.Status == EnrolmentStatuses.Active || e.Status == EnrolmentStatuses.Paused))
            .Select(e => e.RelatedId).ToListAsync(ct);
        var skipped = new List<EnrolSkip>();
        var now = clock.GetUtcNow();
        var count = 0;
        foreach (var id in ids)
        {
            var reason = !byId.TryGetValue(id, out var person) ? "Not found."
                : enrolled.Contains(id) ? "Already in this sequence."
                : emails && string.IsNullOrWhiteSpace(person.Email) ? "No email address."
                : emails && suppressed.Contains(person.Email!.Trim().ToLowerInvariant()) ? "The email address is suppressed (unsubscribed or bounced)."
                : calls && person.DoNotCall ? "Marked do not call."
                : null;
            if (reason is not null)
            {
                skipped.Add(new EnrolSkip(type, id, reason));
                continue;
            }
            db.Add(new SequenceEnrolment
            {
                TenantId = ctx.RequiredTenantId, Id = Guid.CreateVersion7(), SequenceId = sequence.Id, RelatedType = type, RelatedId = id,
                Email = person!.Email?.Trim().ToLowerInvariant(), AssigneeId = person.OwnerId ?? ctx.UserId, Status = EnrolmentStatuses.Active,
                DueAt = now, EnrolledBy = ctx.UserId, EnrolledAt = now, UpdatedAt = now,
            });
            count++;
        }
        await db.SaveChangesAsync(ct);
        return new EnrolResult(count, skipped, null, ids.Count);
    }

    /// <summary>A sequence's enrolments that the caller may see (an agent: those of records they see), newest first.</summary>
    public async Task<Outcome<EnrolmentList>> ListAsync(Guid sequenceId, string? status, CancellationToken ct)
    {
        if (!await db.Set<Sequence>().AnyAsync(s => s.Id == sequenceId, ct)) return new Outcome<EnrolmentList>.NotFound();
        var query = Visible().Where(e => e.SequenceId == sequenceId);
        if (!string.IsNullOrWhiteSpace(status)) query = query.Where(e => e.Status == status);
        var rows = await query.OrderByDescending(e => e.EnrolledAt).Take(500).ToListAsync(ct);
        return new EnrolmentList(await ToDtosAsync(rows, ct));
    }

    /// <summary>A person's enrolments in any sequence (the lead and contact pages).</summary>
    public async Task<IReadOnlyList<(string Sequence, EnrolmentDto Enrolment)>> ForPersonAsync(string type, Guid id, CancellationToken ct)
    {
        var rows = await Visible().Where(e => e.RelatedType == type && e.RelatedId == id).OrderByDescending(e => e.EnrolledAt).Take(50).ToListAsync(ct);
        var names = await db.Set<Sequence>().AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var dtos = await ToDtosAsync(rows, ct);
        return dtos.Select(d => (names.GetValueOrDefault(d.SequenceId) ?? "", d)).ToList();
    }

    public async Task<Outcome<EnrolmentDto>> StopAsync(Guid id, CancellationToken ct) => await ActAsync(id, async (e, now) =>
    {
        if (!e.IsOpen) return "Only an active or paused enrolment can be stopped.";
        await stops.StopAsync(e, StopReasons.Manual, "Stopped by a member.", ctx.UserId?.ToString(), ct);
        return null;
    }, ct);

    public async Task<Outcome<EnrolmentDto>> PauseAsync(Guid id, CancellationToken ct) => await ActAsync(id, (e, now) =>
    {
        if (e.Status != EnrolmentStatuses.Active) return Task.FromResult<string?>("Only an active enrolment can be paused.");
        e.Status = EnrolmentStatuses.Paused;
        e.UpdatedAt = now;
        return Task.FromResult<string?>(null);
    }, ct);

    public async Task<Outcome<EnrolmentDto>> ResumeAsync(Guid id, CancellationToken ct) => await ActAsync(id, (e, now) =>
    {
        if (e.Status != EnrolmentStatuses.Paused) return Task.FromResult<string?>("Only a paused enrolment can be resumed.");
        e.Status = EnrolmentStatuses.Active;
        if (e.AwaitingEmailId is null && e.DueAt is null) e.DueAt = now;
        e.UpdatedAt = now;
        return Task.FromResult<string?>(null);
    }, ct);

    private async Task<Outcome<EnrolmentDto>> ActAsync(Guid id, Func<SequenceEnrolment, DateTimeOffset, Task<string?>> act, CancellationToken ct)
    {
        if (!SequenceService.CanEnrol(ctx)) return new Outcome<EnrolmentDto>.Forbidden("Your role cannot change enrolments.");
        if (!await Visible().AnyAsync(e => e.Id == id, ct)) return new Outcome<EnrolmentDto>.NotFound();
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var enrolment = await stops.LockAsync(id, ct);
        if (enrolment is null) return new Outcome<EnrolmentDto>.NotFound();
        if (await act(enrolment, clock.GetUtcNow()) is { } conflict) return new Outcome<EnrolmentDto>.Conflict(conflict);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await ToDtosAsync([enrolment], ct))[0];
    }

    private IQueryable<SequenceEnrolment> Visible()
    {
        var all = db.Set<SequenceEnrolment>().AsNoTracking();
        if (RecordVisibility.OwnerScope(ctx) is null) return all;
        var visibleLeads = db.Leads.VisibleTo(ctx).Select(l => l.Id);
        var visibleContacts = db.Set<Contact>().VisibleTo(ctx).Select(c => c.Id);
        return all.Where(e => (e.RelatedType == "lead" && visibleLeads.Contains(e.RelatedId)) || (e.RelatedType == "contact" && visibleContacts.Contains(e.RelatedId)));
    }

    private async Task<IReadOnlyList<EnrolmentDto>> ToDtosAsync(IReadOnlyList<SequenceEnrolment> rows, CancellationToken ct)
    {
        var leadIds = rows.Where(r => r.RelatedType == "lead").Select(r => r.RelatedId).ToList();
        var contactIds = rows.Where(r => r.RelatedType == "contact").Select(r => r.RelatedId).ToList();
        var names = (await db.Leads.AsNoTracking().Where(l => leadIds.Contains(l.Id)).Select(l => new { l.Id, Name = (l.FirstName + " " + l.LastName).Trim() }).ToListAsync(ct))
            .Concat(await db.Set<Contact>().AsNoTracking().Where(c => contactIds.Contains(c.Id)).Select(c => new { c.Id, Name = (c.FirstName + " " + c.LastName).Trim() }).ToListAsync(ct))
            .ToDictionary(n => n.Id, n => n.Name);
        var sequenceIds = rows.Select(r => r.SequenceId).Distinct().ToList();
        var steps = (await db.Set<Sequence>().AsNoTracking().Where(s => sequenceIds.Contains(s.Id)).ToListAsync(ct)).ToDictionary(s => s.Id, s => s.StepList);
        var list = new List<EnrolmentDto>(rows.Count);
        foreach (var e in rows)
        {
            var zone = await calendar.ZoneOfAsync(e.RelatedType, e.RelatedId, ct);
            var sequenceSteps = steps.GetValueOrDefault(e.SequenceId) ?? [];
            var current = e.StepIndex < sequenceSteps.Count ? $"{e.StepIndex + 1}. {sequenceSteps[e.StepIndex].Summary}"
                : e.Status == EnrolmentStatuses.Active ? "Last wait" : null;
            list.Add(new EnrolmentDto(e.Id, e.SequenceId, e.RelatedType, e.RelatedId, names.GetValueOrDefault(e.RelatedId), e.Email, e.AssigneeId, e.Status,
                e.StepIndex, current, e.DueAt, e.DueAt is { } due ? SequenceCalendar.Local(due, zone) : null, zone.Id, e.AwaitingEmailId is not null,
                e.EnrolledAt, e.StopReason, e.StopDetail, e.StopEvidenceId, e.StoppedAt, e.CompletedAt, e.LastError));
        }
        return list;
    }

    private sealed record Candidate(Guid Id, string? Email, Guid? OwnerId, bool DoNotCall);
}
