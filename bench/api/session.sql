\startpipeline
select set_config('app.tenant_id', :tenant, false), set_config('app.user_id', :user, false), set_config('app.platform', 'off', false);
with s as (
  select s.id, s.user_id, s.tenant_id, s.last_seen_at,
         t.name, t.slug, t.is_active, t.time_zone, t.currency, t.date_format, t.default_country,
         case when s.created_at + coalesce(t.session_max_hours, 720) * interval '1 hour' <= now() then 'expired'
              when s.last_seen_at + (t.session_idle_minutes + 1) * interval '1 minute' <= now() then 'idle'
         end as ended
  from user_sessions s left join tenants t on t.id = s.tenant_id
  where s.id = :session and s.user_id = :user and s.revoked_at is null
), written as (
  update user_sessions w
  set last_seen_at = case when s.ended is null then now() else w.last_seen_at end,
      revoked_at = case when s.ended is null then null else now() end,
      revoked_reason = s.ended
  from s
  where w.id = s.id and w.revoked_at is null and (s.ended is not null or w.last_seen_at <= now() - interval '1 minute')
)
select u.is_superadmin, u.email, s.tenant_id, s.name, s.slug, s.is_active, s.time_zone, s.currency, s.date_format, s.default_country, m.role, m.is_active
  from s join users u on u.id = s.user_id
  left join tenant_memberships m on m.tenant_id = s.tenant_id and m.user_id = s.user_id
  where s.ended is null and u.is_active;
\endpipeline
