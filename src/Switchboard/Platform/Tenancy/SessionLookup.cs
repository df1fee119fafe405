using Npgsql;

namespace Switchboard.Platform.Tenancy;

/// <summary>What the database says about a signed-in principal's session: its user, tenant and membership.</summary>
public sealed record SessionRow(bool IsSuperadmin, string? Email, Guid? TenantId, TenantSettings? Tenant, string? MembershipRole, bool MembershipActive);

/// <summary>
/// The check every authenticated request makes, in one round trip with the connection's RLS settings (ADR 0018):
/// the session is live, the user active, and the session's tenant and the caller's membership in it as they are now.
/// Hand-written SQL on the request's connection: the hottest query of the app, with one plan of primary-key lookups.
/// The same statement applies the tenant's session limits (ADR 0044, the rule of <see cref="SessionLimits"/>): a
/// session past its lifetime or idle timeout is revoked with that reason and not returned, and a live session's
/// last_seen_at is written when it is a minute old, so most requests write nothing.
/// </summary>
public static class SessionLookup
{
    private static readonly string Sql = $$"""
        with s as (
          select s.id, s.user_id, s.tenant_id, s.last_seen_at,
                 t.name, t.slug, t.is_active, t.time_zone, t.currency, t.date_format, t.default_country,
                 case when s.created_at + coalesce(t.session_max_hours, {{(int)SessionLimits.DefaultLifetime.TotalHours}}) * interval '1 hour' <= $3 then '{{SessionEndReasons.Expired}}'
                      when s.last_seen_at + (t.session_idle_minutes + {{(int)SessionLimits.TouchInterval.TotalMinutes}}) * interval '1 minute' <= $3 then '{{SessionEndReasons.Idle}}'
                 end as ended
          from user_sessions s
          left join tenants t on t.id = s.tenant_id
          where s.id = $1 and s.user_id = $2 and s.revoked_at is null
        ), written as (
          update user_sessions w
          set last_seen_at = case when s.ended is null then $3 else w.last_seen_at end,
              revoked_at = case when s.ended is null then null else $3 end,
              revoked_reason = s.ended
          from s
          where w.id = s.id and w.revoked_at is null
            and (s.ended is not null or w.last_seen_at <= $3 - interval '{{(int)SessionLimits.TouchInterval.TotalMinutes}} minute')
        )
        select u.is_superadmin, u.email, s.tenant_id,
               s.name, s.slug, s.is_active, s.time_zone, s.currency, s.date_format, s.default_country,
               m.role, m.is_active
        from s
        join users u on u.id = s.user_id
        left join tenant_memberships m on m.tenant_id = s.tenant_id and m.user_id = s.user_id
        where s.ended is null and u.is_active
        """;

    /// <summary>
    /// Opens the context's connection for the rest of the request with the tenant and user the principal claims (the
    /// token or cookie is signed, but only this row says whether they still hold), and reads the session row as of
    /// <paramref name="now"/> (the app's clock, not the database's, so tests can move it).
    /// </summary>
    public static Task<SessionRow?> FindAsync(SwitchboardDbContext db, Guid sessionId, Guid userId, Guid? claimedTenant, DateTimeOffset now,
        CancellationToken ct)
    {
        var query = new NpgsqlBatchCommand(Sql) { Parameters = { new() { Value = sessionId }, new() { Value = userId }, new() { Value = now } } };
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        return db.Connection.OpenWithAsync(connection, new SessionSettings(claimedTenant, userId, Platform: false), query, ReadAsync, ct);
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
            MembershipRole: reader.IsDBNull(10) ? null : reader.GetString(10), MembershipActive: !reader.IsDBNull(11) && reader.GetBoolean(11));
    }
}
