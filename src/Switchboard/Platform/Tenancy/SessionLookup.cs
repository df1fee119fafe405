using Npgsql;

namespace Switchboard.Platform.Tenancy;

/// <summary>
/// What the database says about a signed-in principal's session: its user, tenant and membership, when it signed in and
/// was last seen, and the limits its tenant sets on it.
/// </summary>
public sealed record SessionRow(bool IsSuperadmin, string? Email, Guid? TenantId, TenantSettings? Tenant, string? MembershipRole, bool MembershipActive,
    DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, SessionLimits Limits)
{
    /// <summary>Why the session has ended by <paramref name="now"/> (idle or expired), or null while it may go on.</summary>
    public string? EndReason(DateTimeOffset now) => Limits.EndReason(CreatedAt, LastSeenAt, now);

    /// <summary>last_seen_at is written when it is this old (<see cref="SessionLimits.TouchInterval"/>), not on every request.</summary>
    public bool NeedsTouch(DateTimeOffset now) => LastSeenAt + SessionLimits.TouchInterval <= now;
}

/// <summary>
/// The check every authenticated request makes, in one round trip with the connection's RLS settings (ADR 0018):
/// the session is live, the user active, and the session's tenant and the caller's membership in it as they are now.
/// Hand-written SQL on the request's connection: the hottest query of the app, with one plan of primary-key lookups.
/// It reads only; the caller applies the tenant's session limits to the row (ADR 0044) and, rarely, writes: once a
/// minute per session to record activity (<see cref="TouchAsync"/>), once when a session runs out (<see cref="EndAsync"/>).
/// </summary>
public static class SessionLookup
{
    private const string Sql = """
        select u.is_superadmin, u.email, s.tenant_id,
               t.name, t.slug, t.is_active, t.time_zone, t.currency, t.date_format, t.default_country,
               m.role, m.is_active, s.created_at, s.last_seen_at, t.session_idle_minutes, t.session_max_hours
        from user_sessions s
        join users u on u.id = s.user_id
        left join tenants t on t.id = s.tenant_id
        left join tenant_memberships m on m.tenant_id = s.tenant_id and m.user_id = s.user_id
        where s.id = $1 and s.user_id = $2 and s.revoked_at is null and u.is_active
        """;

    /// <summary>
    /// Opens the context's connection for the rest of the request with the tenant and user the principal claims (the
    /// token or cookie is signed, but only this row says whether they still hold), and reads the session row.
    /// </summary>
    public static Task<SessionRow?> FindAsync(SwitchboardDbContext db, Guid sessionId, Guid userId, Guid? claimedTenant, CancellationToken ct)
    {
        var query = new NpgsqlBatchCommand(Sql) { Parameters = { new() { Value = sessionId }, new() { Value = userId } } };
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        return db.Connection.OpenWithAsync(connection, new SessionSettings(claimedTenant, userId, Platform: false), query, ReadAsync, ct);
    }

    /// <summary>Records the session's activity at <paramref name="now"/> (the app's clock, so tests can move it); never moves it back.</summary>
    public static Task TouchAsync(SwitchboardDbContext db, Guid sessionId, DateTimeOffset now, CancellationToken ct) =>
        ExecuteAsync(db, "update user_sessions set last_seen_at = $2 where id = $1 and last_seen_at < $2", ct, sessionId, now);

    /// <summary>Revokes a session that ran out, with why (<see cref="SessionEndReasons.Idle"/> or <see cref="SessionEndReasons.Expired"/>).</summary>
    public static Task EndAsync(SwitchboardDbContext db, Guid sessionId, string reason, DateTimeOffset now, CancellationToken ct) =>
        ExecuteAsync(db, "update user_sessions set revoked_at = $2, revoked_reason = $3 where id = $1 and revoked_at is null", ct, sessionId, now, reason);

    private static async Task ExecuteAsync(SwitchboardDbContext db, string sql, CancellationToken ct, params object[] values)
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var value in values) statement.Parameters.Add(new NpgsqlParameter { Value = value });
        await using var batch = db.Connection.Batch((NpgsqlConnection)db.Database.GetDbConnection(), statement);
        await batch.ExecuteNonQueryAsync(ct);
    }

    private static async Task<SessionRow?> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct)) return null;
        Guid? tenantId = reader.IsDBNull(2) ? null : reader.GetGuid(2);
        var tenant = tenantId is not { } id || reader.IsDBNull(3) ? null : new TenantSettings(id,
            Name: reader.GetString(3), Slug: reader.GetString(4), IsActive: reader.GetBoolean(5), TimeZone: reader.GetString(6),
            Currency: reader.GetString(7), DateFormat: reader.GetString(8), DefaultCountry: reader.GetString(9));
        return new SessionRow(
            IsSuperadmin: reader.GetBoolean(0), Email: reader.IsDBNull(1) ? null : reader.GetString(1), tenantId, tenant,
            MembershipRole: reader.IsDBNull(10) ? null : reader.GetString(10), MembershipActive: !reader.IsDBNull(11) && reader.GetBoolean(11),
            CreatedAt: reader.GetFieldValue<DateTimeOffset>(12), LastSeenAt: reader.GetFieldValue<DateTimeOffset>(13),
            Limits: SessionLimits.For(reader.IsDBNull(14) ? null : reader.GetInt32(14), reader.IsDBNull(15) ? null : reader.GetInt32(15)));
    }
}
