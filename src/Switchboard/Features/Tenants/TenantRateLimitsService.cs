using Switchboard.Platform.Protection;

namespace Switchboard.Features.Tenants;

/// <summary>
/// A tenant's API limits (ADR 0046): tokens added per second and bucket size, per user, per API key and for the whole
/// tenant, as they apply now; <see cref="Defaults"/> are the platform's, which apply where the tenant has none of its own.
/// </summary>
public sealed record TenantRateLimitsDto(Guid TenantId, string TenantName, int UserPerSecond, int UserBurst, int KeyPerSecond, int KeyBurst,
    int TenantPerSecond, int TenantBurst, IReadOnlyList<string> Overridden, TenantRateLimitsDefaults Defaults);

public sealed record TenantRateLimitsDefaults(int UserPerSecond, int UserBurst, int KeyPerSecond, int KeyBurst, int TenantPerSecond, int TenantBurst);

/// <summary>The body of PATCH /api/v1/tenants/{id}/rate-limits (merge patch: absent = unchanged, null = the platform default).</summary>
public sealed record TenantRateLimitsWrite : RequestBody
{
    /// <summary>Requests a second each user's bucket refills with (1 to 10,000).</summary>
    public Optional<int?> UserPerSecond { get; init; }
    /// <summary>Requests each user may make at once (the bucket's size, 1 to 100,000; at least the per-second rate).</summary>
    public Optional<int?> UserBurst { get; init; }
    public Optional<int?> KeyPerSecond { get; init; }
    public Optional<int?> KeyBurst { get; init; }
    public Optional<int?> TenantPerSecond { get; init; }
    public Optional<int?> TenantBurst { get; init; }
}

/// <summary>Superadmins read and change a tenant's API limits; every change is a platform audit event, in force at once on this instance.</summary>
[Scoped]
public sealed class TenantRateLimitsService(SwitchboardDbContext db, TenantContext ctx, AuditLog audit, TimeProvider clock,
    TenantRulesCache rules, IOptions<RateLimitOptions> options)
{
    private sealed record Member(string Name, Func<TenantRateLimitsWrite, Optional<int?>> Posted, Func<Tenant, int?> Get, Action<Tenant, int?> Set,
        (int Min, int Max) Range, string Label);

    private static readonly Member[] Members =
    [
        new("userPerSecond", w => w.UserPerSecond, t => t.RateUserPerSecond, (t, v) => t.RateUserPerSecond = v, TokenBucket.PerSecondRange, "Per-user rate"),
        new("userBurst", w => w.UserBurst, t => t.RateUserBurst, (t, v) => t.RateUserBurst = v, TokenBucket.BurstRange, "Per-user burst"),
        new("keyPerSecond", w => w.KeyPerSecond, t => t.RateKeyPerSecond, (t, v) => t.RateKeyPerSecond = v, TokenBucket.PerSecondRange, "Per-key rate"),
        new("keyBurst", w => w.KeyBurst, t => t.RateKeyBurst, (t, v) => t.RateKeyBurst = v, TokenBucket.BurstRange, "Per-key burst"),
        new("tenantPerSecond", w => w.TenantPerSecond, t => t.RateTenantPerSecond, (t, v) => t.RateTenantPerSecond = v, TokenBucket.PerSecondRange, "Tenant rate"),
        new("tenantBurst", w => w.TenantBurst, t => t.RateTenantBurst, (t, v) => t.RateTenantBurst = v, TokenBucket.BurstRange, "Tenant burst"),
    ];

    public async Task<Outcome<TenantRateLimitsDto>> GetAsync(Guid tenantId, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return new Outcome<TenantRateLimitsDto>.Forbidden("Only superadmins can see a tenant's rate limits.");
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, ct);
        return tenant is null ? new Outcome<TenantRateLimitsDto>.NotFound() : ToDto(tenant);
    }

    public async Task<Outcome<TenantRateLimitsDto>> UpdateAsync(Guid tenantId, TenantRateLimitsWrite patch, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return new Outcome<TenantRateLimitsDto>.Forbidden("Only superadmins can change a tenant's rate limits.");
        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == tenantId, ct);
        if (tenant is null) return new Outcome<TenantRateLimitsDto>.NotFound();
        var errors = patch.BindingErrors();
        foreach (var member in Members)
        {
            var posted = member.Posted(patch);
            if (posted is { IsSet: true, Error: null, Value: { } value } && (value < member.Range.Min || value > member.Range.Max))
                errors.Add(member.Name, $"{member.Label} must be {member.Range.Min:N0} to {member.Range.Max:N0}, or empty for the platform default.");
        }
        if (!errors.IsValid) return new Outcome<TenantRateLimitsDto>.Invalid(errors.ToDictionary());

        var original = Members.ToDictionary(m => m.Name, m => m.Get(tenant));
        foreach (var member in Members)
            if (member.Posted(patch) is { IsSet: true } posted) member.Set(tenant, posted.Value);
        var after = ToDto(tenant);
        foreach (var (policy, perSecond, burst) in new[] { ("user", after.UserPerSecond, after.UserBurst), ("key", after.KeyPerSecond, after.KeyBurst), ("tenant", after.TenantPerSecond, after.TenantBurst) })
            if (burst < perSecond) errors.Add(policy + "Burst", $"The burst ({burst:N0}) must be at least the rate per second ({perSecond:N0}).");
        if (!errors.IsValid) return new Outcome<TenantRateLimitsDto>.Invalid(errors.ToDictionary());

        // In the shape of a record change (old → new; null: the platform default).
        var changes = Members.Where(m => m.Get(tenant) != original[m.Name])
            .ToDictionary(m => m.Name, m => (object)new { old = original[m.Name], @new = m.Get(tenant) });
        if (changes.Count > 0)
        {
            tenant.UpdatedAt = clock.GetUtcNow();
            audit.Add(AuditActions.TenantRateLimitsChanged, null, "tenant", tenant.Id.ToString(), changes);
            await db.SaveChangesAsync(ct);
            rules.Forget(tenant.Id);
        }
        return after;
    }

    private TenantRateLimitsDto ToDto(Tenant t)
    {
        var d = options.Value;
        return new TenantRateLimitsDto(t.Id, t.Name,
            t.RateUserPerSecond ?? d.UserPerSecond, t.RateUserBurst ?? d.UserBurst, t.RateKeyPerSecond ?? d.KeyPerSecond, t.RateKeyBurst ?? d.KeyBurst,
            t.RateTenantPerSecond ?? d.TenantPerSecond, t.RateTenantBurst ?? d.TenantBurst,
            Members.Where(m => m.Get(t) is not null).Select(m => m.Name).ToList(),
            new TenantRateLimitsDefaults(d.UserPerSecond, d.UserBurst, d.KeyPerSecond, d.KeyBurst, d.TenantPerSecond, d.TenantBurst));
    }
}
