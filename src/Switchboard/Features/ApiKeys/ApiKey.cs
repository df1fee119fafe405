namespace Switchboard.Features.ApiKeys;

/// <summary>
/// A tenant's API key (ADR 0043): a name, a role or scopes, an optional expiry and IP allowlist. Only the SHA-256 of
/// the key is kept; <see cref="Prefix"/> names it. Revoked, never deleted: its rows in the audit log keep their actor.
/// </summary>
public sealed class ApiKey : TenantRow
{
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required byte[] KeyHash { get; set; }
    public string? Role { get; set; }
    public string[]? Scopes { get; set; }
    public string[]? AllowedIps { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public string? LastUsedIp { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? RevokedBy { get; set; }

    public string Status(DateTimeOffset now) =>
        RevokedAt is not null ? ApiKeyStatus.Revoked
        : ExpiresAt <= now ? ApiKeyStatus.Expired
        : ApiKeyStatus.Active;
}

public static class ApiKeyStatus
{
    public const string Active = "active";
    public const string Expired = "expired";
    public const string Revoked = "revoked";
}

internal sealed class ApiKeyConfiguration() : TenantTableConfiguration<ApiKey>("api_keys");

public static class ApiKeysData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<ApiKey> ApiKeys => db.Set<ApiKey>();
    }
}

/// <summary>A key as lists show it: never its secret, only the prefix that names it.</summary>
public sealed record ApiKeyDto(Guid Id, string Name, string Prefix, string? Role, IReadOnlyList<string>? Scopes, IReadOnlyList<string>? AllowedIps,
    DateTimeOffset? ExpiresAt, string Status, Guid CreatedById, string? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, string? LastUsedIp,
    DateTimeOffset? RevokedAt);

/// <summary>The answer to POST /api/v1/api-keys: the only time the key itself is shown.</summary>
public sealed record ApiKeyCreated(Guid Id, string Key);

/// <summary>The body of POST /api/v1/api-keys: a name and exactly one of a role or scopes.</summary>
public sealed record ApiKeyCreate : RequestBody
{
    public Optional<string?> Name { get; init; }
    /// <summary>admin, manager, agent or readonly: the key acts with that role on every endpoint keys may call.</summary>
    public Optional<string?> Role { get; init; }
    /// <summary>Scopes such as leads:read and leads:write (write includes read): the key may call only those entities' endpoints.</summary>
    public Optional<IReadOnlyList<string>?> Scopes { get; init; }
    /// <summary>When the key stops working; absent or null: never.</summary>
    public Optional<DateTimeOffset?> ExpiresAt { get; init; }
    /// <summary>CIDR blocks (IPv4 or IPv6; a bare address is a block of one) the key may be used from; absent or empty: anywhere.</summary>
    public Optional<IReadOnlyList<string>?> AllowedIps { get; init; }
}
