\startpipeline
call app_enter(:tenant, :user, 'off');
select c.tenant_id, c.id, c.created_at, c.entity, c.is_active, c.key, c.label, c.options, c.position, c.required, c.type, c.updated_at, c.version
  from custom_fields c where c.tenant_id = :tenant and c.entity = 'lead';
\endpipeline
