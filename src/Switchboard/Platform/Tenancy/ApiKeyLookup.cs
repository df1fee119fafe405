using Npgsql;
using NpgsqlTypes;

namespace Switchboard.Platform.Tenancy;

/// <summary>What the database says about an API key a request carried: the key, its tenant, and whether its creator is still an active administrator there.</summary>
public sealed record ApiKeyRow(
    Guid Id, string Name, string? Role, string[]? Scopes, string[]? AllowedIps, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt, Guid CreatedBy, string? CreatorEmail, bool CreatorIsAdmin, TenantSettings Tenant);

/// <summary>
/// The check a request with an API key makes, in one round trip like <see cref="SessionLookup"/> (ADR 0018, 0043). No
/// tenant is known yet: the batch hands the key's SHA-256 to row-level security (policy api_keys_by_key), moves the
/// batch's transaction to the tenant and creator of the key that hash opens (nothing, for any other hash), and reads the key with
/// its tenant and creator under that tenant's own policies.
/// </summary>
public static class ApiKeyLookup
{
    private const string HandOver = "select set_config('app.api_key', $1, true)";

    private const string Move = """
        select set_config('app.tenant_id', k.tenant_id::text, true), set_config('app.user_id', k.created_by::text, true),
               set_config('app.api_key', '', true)
        from api_keys k where k.prefix = $1 and k.key_hash = $2
        """;

    private const string Read = """
        select k.id, k.name, k.role, k.scopes, k.allowed_ips, k.expires_at, k.revoked_at, k.last_used_at, k.created_by,
               u.email, coalesce(u.is_active and m.is_active and m.role = 'admin', false),
               t.id, t.name, t.slug, t.is_active, t.time_zone, t.currency, t.date_format, t.default_country
        from api_keys k
        join tenants t on t.id = k.tenant_id
        join users u on u.id = k.created_by
        left join tenant_memberships m on m.tenant_id = k.tenant_id and m.user_id = k.created_by
        where k.prefix = $1 and k.key_hash = $2
        """;

    private const string Touch = """
        update api_keys set last_used_at = {0}, last_used_ip = {1}
        where tenant_id = {2} and id = {3} and (last_used_at is null or last_used_at < {4})
        """;

    /// <summary>How often last_used_at and last_used_ip are written for a busy key: at most once a minute, never on every request.</summary>
    public static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    public static Task<ApiKeyRow?> FindAsync(SwitchboardDbContext db, string prefix, byte[] hash, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        NpgsqlBatchCommand Keyed(string sql) => new(sql)
        {
            Parameters = { new() { Value = prefix, NpgsqlDbType = NpgsqlDbType.Text }, new() { Value = hash, NpgsqlDbType = NpgsqlDbType.Bytea } },
        };
        var handOver = new NpgsqlBatchCommand(HandOver) { Parameters = { new() { Value = Convert.ToHexStringLower(hash) } } };
        return db.Connection.OpenForLookupAsync(connection, [handOver, Keyed(Move), Keyed(Read)], ReadAsync, ct);
    }

    /// <summary>Records the key's use when the last record is older than <see cref="TouchEvery"/>: a write once a minute per busy key.</summary>
    public static async Task TouchAsync(SwitchboardDbContext db, ApiKeyRow key, DateTimeOffset now, string? ip, CancellationToken ct)
    {
        if (key.LastUsedAt is { } last && now - last < TouchEvery) return;
        await db.Database.ExecuteSqlRawAsync(Touch, [now, (object?)ip ?? DBNull.Value, key.Tenant.Id, key.Id, now - TouchEvery], ct);
    }

    private static async Task<ApiKeyRow?> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct)) return null;
        DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
        string[]? Texts(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<string[]>(i);
        var tenant = new TenantSettings(reader.GetGuid(11), Name: reader.GetString(12), Slug: reader.GetString(13), IsActive: reader.GetBoolean(14),
            TimeZone: reader.GetString(15), Currency: reader.GetString(16), DateFormat: reader.GetString(17), DefaultCountry: reader.GetString(18));
        return new ApiKeyRow(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), Texts(3), Texts(4),
            At(5), At(6), At(7), reader.GetGuid(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetBoolean(10), tenant);
    }
}
