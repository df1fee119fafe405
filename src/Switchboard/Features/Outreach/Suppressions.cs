using MimeKit;

namespace Switchboard.Features.Outreach;

public sealed record SuppressionDto(string Address, string Reason, Guid? OutboundEmailId, string? Note, Guid? CreatedBy, DateTimeOffset CreatedAt);

public sealed record SuppressionList(IReadOnlyList<SuppressionDto> Items, int Total);

public sealed record SuppressionWrite(string? Address, string? Reason, string? Note);

/// <summary>Adds suppressions the system finds (unsubscribes, hard bounces), telling the outcome observers once.</summary>
[Scoped]
public sealed class SuppressionWriter(SwitchboardDbContext db, TenantContext ctx, IEnumerable<IOutboundEmailOutcomeObserver> observers, TimeProvider clock)
{
    /// <summary>The one-click unsubscribe: idempotent (a second POST changes nothing and tells nobody again).</summary>
    public async Task<bool> UnsubscribeAsync(UnsubscribeToken token, CancellationToken ct)
    {
        await using var work = await db.BeginUnitOfWorkAsync(ct);
        var email = await db.Set<OutboundEmail>().SingleOrDefaultAsync(e => e.Id == token.OutboundEmailId, ct);
        if (await AddAsync(token.Address, SuppressionReasons.Unsubscribed, email?.Id, "One-click unsubscribe", ct) && email is not null)
            foreach (var observer in observers) await observer.OnOutcomeAsync(email, ct);
        await db.SaveChangesAsync(ct);
        await work.CommitAsync(ct);
        return true;
    }

    /// <summary>Adds the address unless it is suppressed already (then keeps the first reason); true when added.</summary>
    public async Task<bool> AddAsync(string address, string reason, Guid? outboundEmailId, string? note, CancellationToken ct)
    {
        var normalized = address.Trim().ToLowerInvariant();
        if (db.ChangeTracker.Entries<Suppression>().Any(e => e.Entity.Address == normalized)) return false;
        if (await db.Set<Suppression>().AnyAsync(s => s.Address == normalized, ct)) return false;
        db.Add(new Suppression
        {
            TenantId = ctx.RequiredTenantId, Address = normalized, Reason = reason, OutboundEmailId = outboundEmailId, Note = note,
            CreatedAt = clock.GetUtcNow(),
        });
        return true;
    }
}

/// <summary>The tenant's suppression list for managers and administrators (GET/POST/DELETE /api/v1/suppressions).</summary>
[Scoped]
public sealed class SuppressionService(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Manager or TenantRole.Admin or TenantRole.Superadmin;

    public async Task<Outcome<SuppressionList>> ListAsync(string? search, string? reason, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<SuppressionList>.Forbidden("Only managers and administrators can see the suppression list.");
        if (reason is not null && !SuppressionReasons.All.Contains(reason))
            return new Outcome<SuppressionList>.Invalid(new Dictionary<string, string[]> { ["reason"] = [$"reason must be one of {string.Join(", ", SuppressionReasons.All)}."] });
        var query = db.Set<Suppression>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(s => s.Address.Contains(term));
        }
        if (reason is not null) query = query.Where(s => s.Reason == reason);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Address).Take(500)
            .Select(s => new SuppressionDto(s.Address, s.Reason, s.OutboundEmailId, s.Note, s.CreatedBy, s.CreatedAt)).ToListAsync(ct);
        return new Outcome<SuppressionList>.Ok(new SuppressionList(items, total));
    }

    public async Task<Outcome<SuppressionDto>> AddAsync(SuppressionWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<SuppressionDto>.Forbidden("Only managers and administrators can change the suppression list.");
        var errors = new ValidationErrors();
        var address = body.Address?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(address) || !MailboxAddress.TryParse(address, out var parsed) || !parsed.Address.Contains('@') || parsed.Address != address)
            errors.Add("address", "A valid email address is required.");
        else if (address.Length > 320) errors.Add("address", "At most 320 characters.");
        var reason = body.Reason ?? SuppressionReasons.Manual;
        if (!SuppressionReasons.All.Contains(reason)) errors.Add("reason", $"reason must be one of {string.Join(", ", SuppressionReasons.All)}.");
        errors.MaxLength("note", body.Note, "Note", 500);
        if (!errors.IsValid) return new Outcome<SuppressionDto>.Invalid(errors.ToDictionary());
        if (await db.Set<Suppression>().AsNoTracking().SingleOrDefaultAsync(s => s.Address == address, ct) is { } existing)
            return new Outcome<SuppressionDto>.Ok(ToDto(existing));
        var suppression = new Suppression
        {
            TenantId = ctx.RequiredTenantId, Address = address!, Reason = reason, Note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim(),
            CreatedBy = ctx.UserId, CreatedAt = clock.GetUtcNow(),
        };
        db.Add(suppression);
        await db.SaveChangesAsync(ct);
        return new Outcome<SuppressionDto>.Ok(ToDto(suppression));
    }

    public async Task<Outcome<bool>> RemoveAsync(string address, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<bool>.Forbidden("Only managers and administrators can change the suppression list.");
        var normalized = address.Trim().ToLowerInvariant();
        if (await db.Set<Suppression>().SingleOrDefaultAsync(s => s.Address == normalized, ct) is not { } suppression) return new Outcome<bool>.NotFound();
        db.Remove(suppression);
        await db.SaveChangesAsync(ct);
        return new Outcome<bool>.Ok(true);
    }

    private static SuppressionDto ToDto(Suppression s) => new(s.Address, s.Reason, s.OutboundEmailId, s.Note, s.CreatedBy, s.CreatedAt);
}
