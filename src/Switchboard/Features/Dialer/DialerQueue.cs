using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Leads;
using Switchboard.Features.Calls;
using Switchboard.Features.Contacts;

namespace Switchboard.Features.Dialer;

/// <summary>A user's saved dialer queue: a name and a filter over the leads they may call. Private to that user.</summary>
public sealed class DialerQueue : ITenantOwned, IAudited, IStamped
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string Name { get; set; }
    public required JsonDocument Filter { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string AuditEntityType => "dialer-queue";
    public string AuditEntityId => Id.ToString();
}

internal sealed class DialerQueueConfiguration : IEntityTypeConfiguration<DialerQueue>
{
    public void Configure(EntityTypeBuilder<DialerQueue> e)
    {
        e.ToTable("dialer_queues");
        e.HasKey(q => new { q.TenantId, q.Id });
        // Compared by content (JsonDocumentComparer, for every JsonDocument): a rename is not a filter change.
        e.Property(q => q.Filter).HasColumnType("jsonb");
    }
}

/// <summary>
/// Which leads a queue dials. Empty statuses means every status. <see cref="OwnerId"/> is for managers and
/// admins (null: all leads); an agent's queue is always their own leads, whatever is stored.
/// </summary>
public sealed record DialerQueueFilter(IReadOnlyList<string> Statuses, bool NeverCalled, DateOnly? LastCalledBefore, Guid? OwnerId)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public JsonDocument ToJson() => JsonSerializer.SerializeToDocument(this, Json);

    public static DialerQueueFilter Of(JsonDocument json) =>
        json.Deserialize<DialerQueueFilter>(Json) ?? new DialerQueueFilter([], false, null, null);
}

/// <param name="AddedLeads">Leads added to the queue by hand (served beside those its filter matches).</param>
/// <param name="Contacts">Contacts the queue holds (added by hand: queues have no filter over contacts).</param>
public sealed record DialerQueueDto(Guid Id, string Name, DialerQueueFilter Filter, int AddedLeads = 0, int Contacts = 0);

/// <summary>A queue as the caller wants it to be, once a body is read over the defaults or the stored queue.</summary>
public sealed record DialerQueueRequest(string? Name, IReadOnlyList<string>? Statuses, bool NeverCalled, DateOnly? LastCalledBefore, Guid? OwnerId);

/// <summary>The body of POST /api/v1/dialer/queues, and of PATCH as a JSON merge patch (absent keeps, null clears).</summary>
public sealed record DialerQueueWrite : RequestBody
{
    public Optional<string?> Name { get; init; }
    /// <summary>Lead statuses to dial; empty or null means every status.</summary>
    public Optional<IReadOnlyList<string>?> Statuses { get; init; }
    public Optional<bool?> NeverCalled { get; init; }
    public Optional<DateOnly?> LastCalledBefore { get; init; }
    /// <summary>Whose leads (managers and admins; null: everyone's). An agent's queue is always their own leads.</summary>
    public Optional<Guid?> OwnerId { get; init; }
}

/// <summary>Saved queues and the order the dialer works through them: due callbacks first, then the least recently called.</summary>
[Scoped]
public sealed class DialerQueues(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, CallingSettingsService settings)
{
    public static bool CanUse(TenantContext ctx) => CallService.CanCall(ctx);

    public async Task<IReadOnlyList<DialerQueueDto>> ListOwnAsync(CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        return await WithCountsAsync(await db.DialerQueues.AsNoTracking().Where(q => q.UserId == self).OrderBy(q => q.Name).ToListAsync(ct), ct);
    }

    public async Task<DialerQueueDto?> FindOwnAsync(Guid id, CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        return await db.DialerQueues.AsNoTracking().SingleOrDefaultAsync(q => q.Id == id && q.UserId == self, ct) is { } row
            ? (await WithCountsAsync([row], ct))[0]
            : null;
    }

    /// <summary>The queues as DTOs with how many leads and contacts were added to each by hand: two grouped counts.</summary>
    private async Task<IReadOnlyList<DialerQueueDto>> WithCountsAsync(IReadOnlyList<DialerQueue> rows, CancellationToken ct)
    {
        var ids = rows.Select(q => q.Id).ToList();
        var leads = await db.DialerQueueMembers.Where(m => ids.Contains(m.QueueId)).GroupBy(m => m.QueueId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var contacts = await db.DialerQueueContacts.Where(m => ids.Contains(m.QueueId)).GroupBy(m => m.QueueId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return rows.Select(q => ToDto(q) with { AddedLeads = leads.GetValueOrDefault(q.Id), Contacts = contacts.GetValueOrDefault(q.Id) }).ToList();
    }

    /// <summary>Creates a queue from a request body (the API): the same fields as a patch, strictly read.</summary>
    public async Task<Outcome<DialerQueueDto>> CreateAsync(DialerQueueWrite body, CancellationToken ct)
    {
        if (!CanUse(ctx)) return new Outcome<DialerQueueDto>.Forbidden("Your role cannot use the dialer.");
        var errors = body.BindingErrors();
        var request = Read(body, new DialerQueueRequest(null, [], false, null, null), errors);
        return errors.IsValid ? await CreateAsync(request, ct) : new Outcome<DialerQueueDto>.Invalid(errors.ToDictionary());
    }

    public async Task<Outcome<DialerQueueDto>> CreateAsync(DialerQueueRequest request, CancellationToken ct)
    {
        if (!CanUse(ctx)) return new Outcome<DialerQueueDto>.Forbidden("Your role cannot use the dialer.");
        var errors = new ValidationErrors();
        var filter = await ValidateAsync(request, errors, ct);
        if (!errors.IsValid) return new Outcome<DialerQueueDto>.Invalid(errors.ToDictionary());

        var queue = new DialerQueue
        {
            Id = Guid.CreateVersion7(), UserId = ctx.RequiredUserId, Name = request.Name!.Trim(), Filter = filter.ToJson(),
        };
        db.DialerQueues.Add(queue);
        await db.SaveChangesAsync(ct);
        return ToDto(queue);
    }

    /// <summary>
    /// Applies a JSON merge patch (name, statuses, neverCalled, lastCalledBefore, ownerId) to one of the caller's
    /// own queues; anyone else's is not found. The queue has no version: the last write wins, as a queue has one user.
    /// </summary>
    public async Task<Outcome<DialerQueueDto>> UpdateAsync(Guid id, DialerQueueWrite patch, CancellationToken ct)
    {
        if (!CanUse(ctx)) return new Outcome<DialerQueueDto>.Forbidden("Your role cannot use the dialer.");
        var queue = await OwnAsync(id, ct);
        if (queue is null) return new Outcome<DialerQueueDto>.NotFound();

        var current = DialerQueueFilter.Of(queue.Filter);
        var errors = patch.BindingErrors();
        var request = Read(patch, new DialerQueueRequest(queue.Name, current.Statuses, current.NeverCalled, current.LastCalledBefore, current.OwnerId), errors);
        var filter = await ValidateAsync(request, errors, ct, unchangedOwner: current.OwnerId);
        if (!errors.IsValid) return new Outcome<DialerQueueDto>.Invalid(errors.ToDictionary());

        queue.Name = request.Name!.Trim();
        queue.Filter = filter.ToJson();
        await db.SaveChangesAsync(ct);
        return (await WithCountsAsync([queue], ct))[0];
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        if (!CanUse(ctx)) return new Outcome<bool>.Forbidden("Your role cannot use the dialer.");
        var queue = await OwnAsync(id, ct);
        if (queue is null) return new Outcome<bool>.NotFound();
        db.DialerQueues.Remove(queue);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Reads the members the body sends over <paramref name="current"/> (merge patch: absent keeps, null clears).</summary>
    private static DialerQueueRequest Read(DialerQueueWrite body, DialerQueueRequest current, ValidationErrors errors) => new(
        body.Name is { IsSet: true } name ? name.Value : current.Name,
        body.Statuses is { IsSet: true } statuses ? statuses.Value?.Select(s => s.Trim()).ToList() ?? [] : current.Statuses,
        body.NeverCalled is { IsSet: true } never ? NotNull(never.Value, "neverCalled", errors) : current.NeverCalled,
        body.LastCalledBefore is { IsSet: true } before ? before.Value : current.LastCalledBefore,
        body.OwnerId is { IsSet: true } owner ? owner.Value : current.OwnerId);

    private Task<DialerQueue?> OwnAsync(Guid id, CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        return db.DialerQueues.SingleOrDefaultAsync(q => q.Id == id && q.UserId == self, ct);
    }

    /// <summary>
    /// The checks create and update share; returns the filter to store (an agent's is always their own leads).
    /// An owner the queue already had is not checked again, so a member who left does not block a rename.
    /// </summary>
    private async Task<DialerQueueFilter> ValidateAsync(DialerQueueRequest request, ValidationErrors errors, CancellationToken ct, Guid? unchangedOwner = null)
    {
        errors.Required("name", request.Name?.Trim(), "Name", 100);
        var statuses = (request.Statuses ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Distinct().ToList();
        foreach (var status in statuses.Where(s => !LeadStatuses.All.Contains(s)))
            errors.Add("statuses", $"'{status}' is not a lead status.");
        if (request.NeverCalled && request.LastCalledBefore is not null)
            errors.Add("lastCalledBefore", "Choose either never called or last called before, not both.");
        var ownerId = RecordVisibility.OwnerScope(ctx) ?? request.OwnerId;
        if (ownerId is { } owner && owner != unchangedOwner && !await db.Memberships.AnyAsync(m => m.UserId == owner, ct))
            errors.Add("ownerId", "The owner is not a member of this workspace.");
        return new DialerQueueFilter(statuses, request.NeverCalled, request.LastCalledBefore, ownerId);
    }

    private static bool NotNull(bool? value, string field, ValidationErrors errors)
    {
        if (value is null) errors.Add(field, $"'{field}' cannot be null.");
        return value ?? false;
    }

    /// <summary>
    /// The caller's most recent outbound call (to a lead or a contact) of the last <see cref="PendingWindow"/> that still has no outcome:
    /// the dialer returns to it until it is recorded, so a reload or a crafted URL cannot skip the wrap-up.
    /// </summary>
    public async Task<Call?> PendingCallAsync(CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        var since = clock.GetUtcNow() - PendingWindow;
        return await db.Calls.AsNoTracking()
            .Where(c => c.AgentId == self && c.Direction == CallDirections.Outbound && c.Disposition == null
                        && (c.LeadId != null || c.ContactId != null) && c.CreatedAt > since)
            .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
    }

    public static readonly TimeSpan PendingWindow = TimeSpan.FromHours(12);

    /// <summary>
    /// What the queue offers: the leads the caller may call that match the filter, its hand-added leads
    /// (<see cref="DialerQueueMember"/>) whatever the filter says, and its contacts (<see cref="DialerQueueContact"/>)
    /// the caller may call that have a phone. A due callback was asked for by the agent, so it counts whatever the
    /// last-called criterion says; a callback still in the future keeps the lead out until then.
    /// </summary>
    internal DialPool Matching(DialerQueueFilter filter, Guid queueId)
    {
        var now = clock.GetUtcNow();
        var callable = db.Leads.VisibleTo(ctx).Where(l => !l.DoNotCall && l.Phone != null);
        var leads = callable;
        // An agent's queue is their own leads whoever made it; a manager's may narrow to one owner.
        if (RecordVisibility.OwnerScope(ctx) is null && filter.OwnerId is { } owner) leads = leads.Where(l => l.OwnerId == owner);
        var statuses = filter.Statuses.Where(LeadStatuses.All.Contains).Select(LeadStatuses.Parse).ToList();
        if (statuses.Count > 0) leads = leads.Where(l => statuses.Contains(l.Status));
        leads = leads.Where(l => l.CallbackAt == null || l.CallbackAt <= now);
        if (filter.NeverCalled) leads = leads.Where(l => l.CallbackAt != null || l.LastCalledAt == null);
        if (filter.LastCalledBefore is { } date)
        {
            var before = Platform.TimeZones.StartOfDayUtc(date, Platform.TimeZones.FindOrUtc(ctx.Tenant?.TimeZone));
            leads = leads.Where(l => l.CallbackAt != null || l.LastCalledAt == null || l.LastCalledAt < before);
        }
        var members = db.DialerQueueMembers.Where(m => m.QueueId == queueId).Select(m => m.LeadId);
        var matched = leads.Select(l => l.Id);
        var contactMembers = db.DialerQueueContacts.Where(m => m.QueueId == queueId).Select(m => m.ContactId);
        return new DialPool(
            callable.Where(l => (l.CallbackAt == null || l.CallbackAt <= now) && (matched.Contains(l.Id) || members.Contains(l.Id))),
            db.Set<Contact>().VisibleTo(ctx).Where(c => c.Phones.Count > 0 && contactMembers.Contains(c.Id)));
    }

    /// <summary>The compliance rules of the tenant's calling policy, to narrow a queue's leads and contacts to those callable now.</summary>
    internal async Task<CallableTargets> ComplianceAsync(CancellationToken ct) => new(db, ctx, clock, await settings.PolicyAsync(ct));

    /// <summary>
    /// One order for leads and contacts: due callbacks first (earliest due first), then never called, then the least
    /// recently called, then the oldest.
    /// </summary>
    internal static IQueryable<DialCandidate> Ordered(IQueryable<DialCandidate> targets) =>
        targets.OrderBy(t => t.CallbackAt == null ? 1 : 0).ThenBy(t => t.CallbackAt)
            .ThenBy(t => t.LastCalledAt == null ? 0 : 1).ThenBy(t => t.LastCalledAt)
            .ThenBy(t => t.CreatedAt).ThenBy(t => t.Id);

    private static DialerQueueDto ToDto(DialerQueue q) => new(q.Id, q.Name, DialerQueueFilter.Of(q.Filter));
}
