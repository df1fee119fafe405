using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Leads;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;

namespace Switchboard.Features.Calls;

/// <summary>A user's saved dialer queue: a name and a filter over the leads they may call.</summary>
public sealed class DialerQueue : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string Name { get; set; }
    public required JsonDocument Filter { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class DialerQueueConfiguration : IEntityTypeConfiguration<DialerQueue>
{
    public void Configure(EntityTypeBuilder<DialerQueue> e)
    {
        e.ToTable("dialer_queues");
        e.HasKey(q => new { q.TenantId, q.Id });
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

public sealed record DialerQueueDto(Guid Id, string Name, DialerQueueFilter Filter);

public sealed record DialerQueueRequest(string? Name, IReadOnlyList<string>? Statuses, bool NeverCalled, DateOnly? LastCalledBefore, Guid? OwnerId);

/// <summary>Saved queues and the order the dialer works through them: due callbacks first, then the least recently called.</summary>
public sealed class DialerQueues(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    public static bool CanUse(TenantContext ctx) => CallService.CanCall(ctx);

    public async Task<IReadOnlyList<DialerQueueDto>> ListOwnAsync(CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        var rows = await db.DialerQueues.AsNoTracking().Where(q => q.UserId == self).OrderBy(q => q.Name).ToListAsync(ct);
        return rows.Select(ToDto).ToList();
    }

    public async Task<DialerQueueDto?> FindOwnAsync(Guid id, CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        return await db.DialerQueues.AsNoTracking().SingleOrDefaultAsync(q => q.Id == id && q.UserId == self, ct) is { } row ? ToDto(row) : null;
    }

    public async Task<Outcome<DialerQueueDto>> CreateAsync(DialerQueueRequest request, CancellationToken ct)
    {
        if (!CanUse(ctx)) return new Outcome<DialerQueueDto>.Forbidden("Your role cannot use the dialer.");
        var errors = new ValidationErrors();
        errors.Required("name", request.Name, "Name", 100);
        var statuses = (request.Statuses ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Distinct().ToList();
        foreach (var status in statuses.Where(s => !LeadStatuses.All.Contains(s)))
            errors.Add("statuses", $"'{status}' is not a lead status.");
        if (request.NeverCalled && request.LastCalledBefore is not null)
            errors.Add("lastCalledBefore", "Choose either never called or last called before, not both.");
        var ownerId = LeadPermissions.SeesOnlyOwn(ctx) ? ctx.UserId : request.OwnerId;
        if (ownerId is { } owner && !await db.Memberships.AnyAsync(m => m.UserId == owner, ct))
            errors.Add("ownerId", "The owner is not a member of this workspace.");
        if (!errors.IsValid) return new Outcome<DialerQueueDto>.Invalid(errors.ToDictionary());

        var now = clock.GetUtcNow();
        var queue = new DialerQueue
        {
            Id = Guid.CreateVersion7(), UserId = ctx.RequiredUserId, Name = request.Name!.Trim(),
            Filter = new DialerQueueFilter(statuses, request.NeverCalled, request.LastCalledBefore, ownerId).ToJson(),
            CreatedAt = now, UpdatedAt = now,
        };
        db.DialerQueues.Add(queue);
        await db.SaveChangesAsync(ct);
        return ToDto(queue);
    }

    /// <summary>
    /// The caller's most recent outbound call of the last <see cref="PendingWindow"/> that still has no outcome:
    /// the dialer returns to it until it is recorded, so a reload or a crafted URL cannot skip the wrap-up.
    /// </summary>
    public async Task<Call?> PendingCallAsync(CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        var since = clock.GetUtcNow() - PendingWindow;
        return await db.Calls.AsNoTracking()
            .Where(c => c.AgentId == self && c.Direction == CallDirections.Outbound && c.Disposition == null && c.LeadId != null && c.CreatedAt > since)
            .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
    }

    public static readonly TimeSpan PendingWindow = TimeSpan.FromHours(12);

    /// <summary>The next lead to dial, leaving out the ones already handled in this session.</summary>
    public async Task<Guid?> NextAsync(DialerQueueFilter filter, IReadOnlyCollection<Guid> handled, CancellationToken ct) =>
        await Ordered(Matching(filter).Where(l => !handled.Contains(l.Id))).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(ct);

    public async Task<int> RemainingAsync(DialerQueueFilter filter, IReadOnlyCollection<Guid> handled, CancellationToken ct) =>
        await Matching(filter).CountAsync(l => !handled.Contains(l.Id), ct);

    /// <summary>
    /// Leads the caller may call that match the filter. A due callback was asked for by the agent, so it counts
    /// whatever the last-called criterion says; a callback still in the future keeps the lead out until then.
    /// </summary>
    private IQueryable<Lead> Matching(DialerQueueFilter filter)
    {
        var now = clock.GetUtcNow();
        var leads = db.Leads.Where(l => !l.DoNotCall && l.Phone != null);
        var ownerId = LeadPermissions.SeesOnlyOwn(ctx) ? ctx.UserId : filter.OwnerId;
        if (ownerId is { } owner) leads = leads.Where(l => l.OwnerId == owner);
        var statuses = filter.Statuses.Where(LeadStatuses.All.Contains).Select(LeadStatuses.Parse).ToList();
        if (statuses.Count > 0) leads = leads.Where(l => statuses.Contains(l.Status));
        leads = leads.Where(l => l.CallbackAt == null || l.CallbackAt <= now);
        if (filter.NeverCalled) leads = leads.Where(l => l.CallbackAt != null || l.LastCalledAt == null);
        if (filter.LastCalledBefore is { } date)
        {
            var before = Platform.TimeZones.StartOfDayUtc(date, Platform.TimeZones.FindOrUtc(ctx.Tenant?.TimeZone));
            leads = leads.Where(l => l.CallbackAt != null || l.LastCalledAt == null || l.LastCalledAt < before);
        }
        return leads;
    }

    private static IQueryable<Lead> Ordered(IQueryable<Lead> leads) =>
        leads.OrderBy(l => l.CallbackAt == null ? 1 : 0).ThenBy(l => l.CallbackAt)
            .ThenBy(l => l.LastCalledAt == null ? 0 : 1).ThenBy(l => l.LastCalledAt)
            .ThenBy(l => l.CreatedAt).ThenBy(l => l.Id);

    private static DialerQueueDto ToDto(DialerQueue q) => new(q.Id, q.Name, DialerQueueFilter.Of(q.Filter));
}
