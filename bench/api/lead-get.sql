\startpipeline
call app_enter(:tenant, :user, 'off');
select l.tenant_id, l.id, l.callback_at, l.company, l.converted_account_id, l.converted_at, l.converted_contact_id, l.converted_opportunity_id, l.created_at, l.custom, l.do_not_call, l.email, l.external_id, l.first_name, l.last_called_at, l.last_name, l.notes, l.owner_id, l.phone, l.search_text, l.source, l.status, l.time_zone, l.title, l.updated_at, l.version, l.search_company, l.search_domain, l.search_email, l.search_name, l.search_surname
  from leads l where l.tenant_id = :tenant and l.id = :lead limit 2;
\endpipeline
