using Switchboard.Features.Users;

namespace Switchboard.Features.ApiKeys;

/// <summary>
/// Creating, listing and revoking a tenant's API keys (ADR 0043): administrators only, and never with a key. The key
/// is returned once, at creation; the database keeps its SHA-256. Both changes are audited.
/// </summary>
[Scoped]
public sealed class ApiKeyService(SwitchboardDbContext db, TenantContext ctx, AuditLog audit, TimeProvider clock)
{
    public const int MaxNameLength = 100;
    public const int MaxAllowedIps = 50;

    public static bool CanManage(TenantContext ctx) => UserService.CanManage(ctx) && ctx.TenantId is not null && ctx.ApiKey is null;

    public async Task<Outcome<ApiKeyCreated>> CreateAsync(ApiKeyCreate body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<ApiKeyCreated>.Forbidden("Only administrators can create API keys.");
        var errors = body.BindingErrors();
        var name = body.Name.Value?.Trim();
        errors.Required("name", name, "Name", MaxNameLength);
        var role = body.Role.OneOf("role", TenantRoles.MembershipRoles, errors).Value;
        var scopes = Scopes(body.Scopes, errors);
        if (role is null && scopes is null && !errors.Has("role") && !errors.Has("scopes"))
            errors.Add("role", $"Give the key a role ({string.Join(", ", TenantRoles.MembershipRoles)}) or a list of scopes.");
        if (role is not null && scopes is not null) errors.Add("scopes", "Give the key a role or scopes, not both.");
        var now = clock.GetUtcNow();
        if (body.ExpiresAt.Value is { } expires && expires <= now) errors.Add("expiresAt", "The expiry must be in the future.");
        var allowedIps = CidrBlocks.NormalizeAll(body.AllowedIps.Value, "allowedIps", MaxAllowedIps, errors);
        if (!errors.IsValid) return new Outcome<ApiKeyCreated>.Invalid(errors.ToDictionary());

        var (key, prefix, hash) = ApiKeySecrets.New();
        var apiKey = new ApiKey
        {
            Id = Guid.CreateVersion7(), Name = name!, Prefix = prefix, KeyHash = hash, Role = role, Scopes = scopes, AllowedIps = allowedIps,
            ExpiresAt = body.ExpiresAt.Value?.ToUniversalTime(), CreatedBy = ctx.RequiredUserId, CreatedAt = now,
        };
        db.ApiKeys.Add(apiKey);
        audit.Add(AuditActions.ApiKeyCreated, ctx.TenantId, "api-key", apiKey.Id.ToString(),
            new { name, prefix, role, scopes, expiresAt = apiKey.ExpiresAt, allowedIps });
        await db.SaveChangesAsync(ct);
        return new ApiKeyCreated(apiKey.Id, key);
    }

    public async Task<Outcome<IReadOnlyList<ApiKeyDto>>> ListAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<IReadOnlyList<ApiKeyDto>>.Forbidden("Only administrators can see API keys.");
        return (await ListQuery(k => true).ToListAsync(ct)).Select(ToDto).ToList();
    }

    /// <summary>Revokes the key: the next request that carries it is refused. Another tenant's key, or one revoked already, is not found.</summary>
    public async Task<Outcome<ApiKeyDto>> RevokeAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<ApiKeyDto>.Forbidden("Only administrators can revoke API keys.");
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id && k.RevokedAt == null, ct);
        if (key is null) return new Outcome<ApiKeyDto>.NotFound();
        key.RevokedAt = clock.GetUtcNow();
        key.RevokedBy = ctx.UserId;
        audit.Add(AuditActions.ApiKeyRevoked, ctx.TenantId, "api-key", id.ToString(), new { key.Name, key.Prefix });
        await db.SaveChangesAsync(ct);
        return (await ListQuery(k => k.Id == id).ToListAsync(ct)).Select(ToDto).Single();
    }

    private static string[]? Scopes(Optional<IReadOnlyList<string>?> member, ValidationErrors errors)
    {
        if (member.Value is not { } scopes) return null;
        if (scopes.Count == 0)
        {
            errors.Add("scopes", "Scopes must name at least one scope (like leads:read), or leave them out and give a role.");
            return null;
        }
        foreach (var scope in scopes.Where(s => s is null || !ApiScopes.IsKnown(s)))
            errors.Add("scopes", $"'{scope}' is not a scope. Use entity:read or entity:write, the entity one of: {string.Join(", ", ApiScopes.Entities)}.");
        return ApiScopes.All.Where(scopes.Contains).ToArray();
    }

    private sealed record Row(ApiKey Key, string? Creator);

    private IQueryable<Row> ListQuery(System.Linq.Expressions.Expression<Func<ApiKey, bool>> filter) =>
        from k in db.ApiKeys.AsNoTracking().Where(filter)
        orderby k.CreatedAt descending
        select new Row(k, db.Users.Where(u => u.Id == k.CreatedBy).Select(u => u.FirstName + " " + u.LastName).FirstOrDefault());

    private ApiKeyDto ToDto(Row row)
    {
        var k = row.Key;
        return new ApiKeyDto(k.Id, k.Name, k.Prefix, k.Role, k.Scopes, k.AllowedIps, k.ExpiresAt, k.Status(clock.GetUtcNow()),
            k.CreatedBy, row.Creator?.Trim(), k.CreatedAt, k.LastUsedAt, k.LastUsedIp, k.RevokedAt);
    }
}
