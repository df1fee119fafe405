using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Dialer;

/// <summary>A lead added to a queue by hand, as GET /api/v1/dialer/queues/{id}/leads lists it (the leads its filter matches are not listed).</summary>
public sealed record DialerQueueLeadDto(Guid LeadId, string Name, string? Company, string? Phone, DateTimeOffset AddedAt, Guid? AddedBy);

/// <summary>A contact a queue holds, as GET /api/v1/dialer/queues/{id}/contacts lists it.</summary>
public sealed record DialerQueueContactDto(Guid ContactId, string Name, string? Phone, Guid? AccountId, DateTimeOffset AddedAt, Guid? AddedBy);

/// <summary>
/// The records added to one of the caller's queues by hand: leads (bulk action on the leads list) and contacts (bulk
/// action on the contacts list, the contact's page, the API). Each is added only when the caller may call it now
/// (visible to them, a phone); the queue then serves it under the compliance rules. Ok(false): it was already there.
/// </summary>
[Scoped]
public sealed class DialerQueueMembers(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    public const string QueueGone = "The dialer queue no longer exists.";
    public const string NoPhone = "It has no phone number.";

    /// <summary>Adds a lead the caller may see, with a phone and not marked do-not-call.</summary>
    public async Task<Outcome<bool>> AddLeadAsync(Guid queueId, Guid leadId, CancellationToken ct)
    {
        if (await RefusalAsync(queueId, ct) is { } refused) return refused;
        if (await db.FindVisibleAsync<Lead>(leadId, ctx, ct) is not { } lead) return new Outcome<bool>.NotFound();
        if (lead.Phone is null) return Invalid("leadId", NoPhone);
        if (lead.DoNotCall) return Invalid("leadId", "It is marked do not call.");
        if (await db.DialerQueueMembers.AnyAsync(m => m.QueueId == queueId && m.LeadId == leadId, ct)) return false;
        return await AddAsync(new DialerQueueMember { QueueId = queueId, LeadId = leadId, AddedAt = clock.GetUtcNow(), AddedBy = ctx.UserId }, ct);
    }

    /// <summary>Adds a contact the caller may call (as from its page: visible, theirs to change) that has a phone.</summary>
    public async Task<Outcome<bool>> AddContactAsync(Guid queueId, Guid contactId, CancellationToken ct)
    {
        if (await RefusalAsync(queueId, ct) is { } refused) return refused;
        if (await db.FindVisibleAsync<Contact>(contactId, ctx, ct) is not { } contact) return new Outcome<bool>.NotFound();
        if (!RecordPermissions.CanEdit(ctx, contact.OwnerId)) return new Outcome<bool>.Forbidden("Your role cannot place calls to this contact.");
        if (contact.Phones.Count == 0) return Invalid("contactId", NoPhone);
        if (await db.DialerQueueContacts.AnyAsync(m => m.QueueId == queueId && m.ContactId == contactId, ct)) return false;
        return await AddAsync(new DialerQueueContact { QueueId = queueId, ContactId = contactId, AddedAt = clock.GetUtcNow(), AddedBy = ctx.UserId }, ct);
    }

    /// <summary>Takes a hand-added lead out of one of the caller's queues (its filter may still match it); not found when the queue is not theirs or does not hold it.</summary>
    public Task<Outcome<bool>> RemoveLeadAsync(Guid queueId, Guid leadId, CancellationToken ct) =>
        RemoveAsync(queueId, db.DialerQueueMembers.Where(m => m.QueueId == queueId && m.LeadId == leadId), ct);

    /// <summary>Takes a contact out of one of the caller's queues; not found when the queue is not theirs or does not hold it.</summary>
    public Task<Outcome<bool>> RemoveContactAsync(Guid queueId, Guid contactId, CancellationToken ct) =>
        RemoveAsync(queueId, db.DialerQueueContacts.Where(m => m.QueueId == queueId && m.ContactId == contactId), ct);

    private async Task<Outcome<bool>> RemoveAsync<T>(Guid queueId, IQueryable<T> member, CancellationToken ct) where T : class
    {
        if (!DialerQueues.CanUse(ctx)) return new Outcome<bool>.Forbidden("Your role cannot use the dialer.");
        if (!await IsOwnQueueAsync(queueId, ct)) return new Outcome<bool>.NotFound();
        // Audited like any removal (the members are IAudited), so read and remove rather than delete in SQL.
        if (await member.SingleOrDefaultAsync(ct) is not { } row) return new Outcome<bool>.NotFound();
        db.Remove(row);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The leads added to one of the caller's queues by hand that the caller may see, most recently added first.</summary>
    public Task<Outcome<PagedList<DialerQueueLeadDto>>> ListLeadsAsync(Guid queueId, int? page, int? pageSize, CancellationToken ct) =>
        ListAsync(queueId, page, pageSize,
            from m in db.DialerQueueMembers.AsNoTracking()
            join l in db.Leads.AsNoTracking().VisibleTo(ctx) on m.LeadId equals l.Id
            where m.QueueId == queueId
            orderby m.AddedAt descending, m.LeadId
            select new DialerQueueLeadDto(l.Id, (l.FirstName + " " + l.LastName).Trim(), l.Company, l.Phone, m.AddedAt, m.AddedBy), ct);

    /// <summary>The contacts one of the caller's queues holds that the caller may see, most recently added first; null when the queue is not theirs.</summary>
    public Task<Outcome<PagedList<DialerQueueContactDto>>> ListContactsAsync(Guid queueId, int? page, int? pageSize, CancellationToken ct) =>
        ListAsync(queueId, page, pageSize,
            from m in db.DialerQueueContacts.AsNoTracking()
            join c in db.Set<Contact>().AsNoTracking().VisibleTo(ctx) on m.ContactId equals c.Id
            where m.QueueId == queueId
            orderby m.AddedAt descending, m.ContactId
            select new DialerQueueContactDto(
                c.Id, (c.FirstName + " " + c.LastName).Trim(), c.Phones.Count > 0 ? c.Phones[0] : null, c.AccountId, m.AddedAt, m.AddedBy), ct);

    private async Task<Outcome<PagedList<T>>> ListAsync<T>(Guid queueId, int? page, int? pageSize, IQueryable<T> rows, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return new Outcome<PagedList<T>>.Forbidden("Your role cannot use the dialer.");
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(page, pageSize, errors);
        if (!errors.IsValid) return new Outcome<PagedList<T>>.Invalid(errors.ToDictionary());
        if (!await IsOwnQueueAsync(queueId, ct)) return new Outcome<PagedList<T>>.NotFound();
        return await paging.ApplyAsync(db, rows, ct);
    }

    /// <summary>Which of the caller's queues hold the contact (the contact page's "Add to dialer queue" marks them).</summary>
    public async Task<IReadOnlySet<Guid>> QueuesHoldingAsync(Guid contactId, CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        var own = db.DialerQueues.Where(q => q.UserId == self).Select(q => q.Id);
        return (await db.DialerQueueContacts.Where(m => m.ContactId == contactId && own.Contains(m.QueueId)).Select(m => m.QueueId).ToListAsync(ct)).ToHashSet();
    }

    private async Task<Outcome<bool>?> RefusalAsync(Guid queueId, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return new Outcome<bool>.Forbidden("Your role cannot use the dialer.");
        return await IsOwnQueueAsync(queueId, ct) ? null : new Outcome<bool>.Conflict(QueueGone);
    }

    private Task<bool> IsOwnQueueAsync(Guid queueId, CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        return db.DialerQueues.AnyAsync(q => q.Id == queueId && q.UserId == self, ct);
    }

    /// <summary>Saves the new member; one added at the same moment by another request (the primary key) counts as already there.</summary>
    private async Task<Outcome<bool>> AddAsync<T>(T member, CancellationToken ct) where T : class
    {
        db.Add(member);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, out _))
        {
            db.Entry(member).State = EntityState.Detached;
            return false;
        }
    }

    private static Outcome<bool> Invalid(string field, string message) =>
        new Outcome<bool>.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
