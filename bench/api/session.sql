\startpipeline
select set_config('app.tenant_id', :tenant, true), set_config('app.user_id', :user, true), set_config('app.platform', 'off', true);
select u.is_superadmin, u.email, s.tenant_id, t.name, t.slug, t.is_active, t.time_zone, t.currency, t.date_format, t.default_country, m.role, m.is_active,
       s.created_at, s.last_seen_at, t.session_idle_minutes, t.session_max_hours
  from user_sessions s join users u on u.id = s.user_id
  left join tenants t on t.id = s.tenant_id
  left join tenant_memberships m on m.tenant_id = s.tenant_id and m.user_id = s.user_id
  where s.id = :session and s.user_id = :user and s.revoked_at is null and u.is_active;
\endpipeline
