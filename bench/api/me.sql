\startpipeline
call app_enter(:tenant, :user, 'off');
select u0.id, u0.email, u0.first_name, u0.last_name, u0.is_superadmin, s.id, s.name, s.slug, s.role, s.tenant_id, s.user_id
  from (select u.id, u.email, u.first_name, u.last_name, u.is_superadmin from users as u where u.id = :user limit 2) as u0
  left join (select t0.id, t0.name, t0.slug, t.role, t.tenant_id, t.user_id
               from tenant_memberships as t join tenants as t0 on t.tenant_id = t0.id where t.is_active) as s on u0.id = s.user_id
  order by u0.id, s.name, s.tenant_id, s.user_id;
\endpipeline
