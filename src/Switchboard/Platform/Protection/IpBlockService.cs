using System.Net;

namespace Switchboard.Platform.Protection;

/// <summary>A block as the superadmin's list and the API show it.</summary>
public sealed record IpBlockDto(Guid Id, string Network, string Reason, string Source, string Status, DateTimeOffset CreatedAt,
    string? CreatedBy, DateTimeOffset? ExpiresAt, DateTimeOffset? LiftedAt, string? LiftedBy);

/// <summary>The body of POST /api/v1/ip-blocks.</summary>
public sealed record IpBlockCreate : RequestBody
{
    /// <summary>An IPv4 or IPv6 address or CIDR block, like 203.0.113.0/24 or 2001:db8::/32.</summary>
    public Optional<string?> Network { get; init; }
    /// <summary>Why (up to 500 characters): shown on the blocklist and in the audit log.</summary>
    public Optional<string?> Reason { get; init; }
    /// <summary>When the block ends by itself; absent or null: when a superadmin lifts it.</summary>
    public Optional<DateTimeOffset?> ExpiresAt { get; init; }
}

/// <summary>
/// The platform IP blocklist (ADR 0046): superadmins list, add and lift blocks; the abuse monitor adds automatic ones.
/// Every block and every lift is a platform audit event; this instance's in-memory copy (<see cref="IpBlocklist"/>)
/// follows at once, the others within their refresh interval.
/// </summary>
[Scoped]
public sealed class IpBlockService(SwitchboardDbContext db, TenantContext ctx, AuditActor actor, AuditLog audit, TimeProvider clock, IpBlocklist blocklist)
{
    public const int MaxReasonLength = 500;
    private const int ListLimit = 200;

    public async Task<Outcome<IReadOnlyList<IpBlockDto>>> ListAsync(CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return new Outcome<IReadOnlyList<IpBlockDto>>.Forbidden("Only superadmins can see the IP blocklist.");
        var rows = await (from b in db.IpBlocks.AsNoTracking()
                          join c in db.Users on b.CreatedBy equals c.Id into creators
                          from c in creators.DefaultIfEmpty()
                          join l in db.Users on b.LiftedBy equals l.Id into lifters
                          from l in lifters.DefaultIfEmpty()
                          orderby b.CreatedAt descending
                          select new { Block = b, Creator = c == null ? null : c.Email, Lifter = l == null ? null : l.Email })
            .Take(ListLimit).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return rows.Select(r => ToDto(r.Block, r.Creator, r.Lifter, now)).ToList();
    }

    public async Task<Outcome<IpBlockDto>> CreateAsync(IpBlockCreate body, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return new Outcome<IpBlockDto>.Forbidden("Only superadmins can block IP addresses.");
        var errors = body.BindingErrors();
        var network = CidrBlocks.Normalize(body.Network.Value, out var problem);
        if (network is null) errors.Add("network", string.IsNullOrWhiteSpace(body.Network.Value) ? "Give an IP address or CIDR block to block." : problem!);
        var reason = body.Reason.Value?.Trim();
        errors.Required("reason", reason, "Reason", MaxReasonLength);
        var now = clock.GetUtcNow();
        if (body.ExpiresAt.Value is { } expires && expires <= now) errors.Add("expiresAt", "The expiry must be in the future.");
        if (network is not null && IPAddress.TryParse(actor.Ip, out var own) && CidrBlocks.Contains([network], own))
            errors.Add("network", $"{network} contains your own address ({actor.Ip}): you would block yourself.");
        if (!errors.IsValid) return new Outcome<IpBlockDto>.Invalid(errors.ToDictionary());

        var block = await AddAsync(network!, reason!, IpBlockSources.Manual, body.ExpiresAt.Value?.ToUniversalTime(), ctx.UserId, ct);
        return ToDto(block, actor.ActorName, null, now);
    }

    public async Task<Outcome<IpBlockDto>> LiftAsync(Guid id, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return new Outcome<IpBlockDto>.Forbidden("Only superadmins can lift IP blocks.");
        var block = await db.IpBlocks.SingleOrDefaultAsync(b => b.Id == id, ct);
        if (block is null) return new Outcome<IpBlockDto>.NotFound();
        var now = clock.GetUtcNow();
        if (block.Status(now) != IpBlockStatus.Active)
            return new Outcome<IpBlockDto>.Conflict($"The block of {block.Network} is no longer in force ({block.Status(now)}).");
        block.LiftedAt = now;
        block.LiftedBy = ctx.UserId;
        audit.Add(AuditActions.IpUnblocked, null, "ip-block", block.Id.ToString(), new { block.Network, block.Reason, block.Source });
        await db.SaveChangesAsync(ct);
        blocklist.Remove(block.Id);
        return ToDto(block, null, actor.ActorName, now);
    }

    /// <summary>A block made by the abuse monitor: no permission check, audited as the system actor "abuse-monitor".</summary>
    public async Task<IpBlock> BlockAutomaticallyAsync(IPAddress address, string reason, TimeSpan duration, CancellationToken ct)
    {
        actor.System("abuse-monitor");
        var network = CidrBlocks.Normalize(address.ToString(), out _)!;
        return await AddAsync(network, reason, IpBlockSources.Automatic, clock.GetUtcNow() + duration, null, ct);
    }

    private async Task<IpBlock> AddAsync(string network, string reason, string source, DateTimeOffset? expiresAt, Guid? by, CancellationToken ct)
    {
        var block = new IpBlock
        {
            Id = Guid.CreateVersion7(), Network = network, Reason = reason, Source = source, CreatedAt = clock.GetUtcNow(),
            CreatedBy = by, ExpiresAt = expiresAt,
        };
        db.IpBlocks.Add(block);
        audit.Add(AuditActions.IpBlocked, null, "ip-block", block.Id.ToString(), new { network, reason, source, expiresAt });
        await db.SaveChangesAsync(ct);
        blocklist.Add(block.ToActive());
        return block;
    }

    private static IpBlockDto ToDto(IpBlock b, string? creator, string? lifter, DateTimeOffset now) =>
        new(b.Id, b.Network, b.Reason, b.Source, b.Status(now), b.CreatedAt, creator, b.ExpiresAt, b.LiftedAt, lifter);
}
