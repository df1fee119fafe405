select u.id, u.access_failed_count, u.concurrency_stamp, u.created_at, u.email, u.email_confirmed, u.first_name, u.is_active, u.is_superadmin, u.last_name, u.last_tenant_id, u.lockout_enabled, u.lockout_end, u.normalized_email, u.normalized_user_name, u.password_hash, u.phone_number, u.phone_number_confirmed, u.security_stamp, u.two_factor_enabled, u.user_name
  from users u where u.id = :user limit 2;
select t0.id, t0.created_at, t0.currency, t0.date_format, t0.default_country, t0.is_active, t0.name, t0.slug, t0.time_zone, t0.updated_at, t.role, t.is_active
  from tenant_memberships t join tenants t0 on t.tenant_id = t0.id where t.user_id = :user order by t0.name;
