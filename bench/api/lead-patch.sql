\set k (:k + 1) % 10
\set n random(1, 1000000000)
\set idx :client_id * 10 + :k
\startpipeline
call app_enter(:tenant, :user, 'off');
select l.tenant_id, l.id, l.callback_at, l.company, l.converted_account_id, l.converted_at, l.converted_contact_id, l.converted_opportunity_id, l.created_at, l.custom, l.do_not_call, l.email, l.external_id, l.first_name, l.last_called_at, l.last_name, l.notes, l.owner_id, l.phone, l.search_text, l.source, l.status, l.time_zone, l.title, l.updated_at, l.version, l.search_company, l.search_domain, l.search_email, l.search_name, l.search_surname
  from leads l where l.tenant_id = :tenant and l.id = (select id from bench_leads where n = :idx) limit 2;
\endpipeline
\startpipeline
begin transaction isolation level read committed;
select set_config('app.tenant_id', :tenant, true), set_config('app.user_id', :user, true), set_config('app.platform', 'off', true);
\endpipeline
\startpipeline
insert into audit_log (id, action, actor_id, actor_name, actor_type, changes, entity_id, entity_type, ip, occurred_at, tenant_id, user_agent)
  values (gen_random_uuid(), 'update', :user, 'manager@acme.test', 'user', '{"title": {"new": "VP Bench", "old": "CEO"}}', :idx, 'lead', '127.0.0.1', now(), :tenant, 'wrk');
update leads set title = 'VP Bench ' || :n, updated_at = now(), version = version + 1
  where id = (select id from bench_leads where n = :idx) and tenant_id = :tenant
  returning search_text, search_company, search_domain, search_email, search_name, search_surname;
insert into webhook_events (id, tenant_id, body, changed, created_at, type)
  values (gen_random_uuid(), :tenant, '{"id": "00000000-0000-0000-0000-000000000000","type": "lead.updated","tenantId": "00000000-0000-0000-0000-000000000000","createdAt": "2026-12-06T04:49:23.7999172+00:00","data": {"id": "00000000-0000-0000-0000-000000000000","firstName": "Bench","lastName": "Create","company": "Bench Co","title": "VP Bench 0","email": "bench@example.com","phone": "\u002B14155550123","status": "new","source": null,"ownerId": null,"notes": null,"createdAt": "2026-12-06T04:49:23.7980886+00:00","updatedAt": "2026-12-06T04:49:23.7980886+00:00","version": 2,"timeZone": null,"doNotCall": false,"lastCalledAt": null,"callbackAt": null,"custom": {},"convertedAt": null,"convertedAccountId": null,"convertedContactId": null,"convertedOpportunityId": null,"externalId": null,"linkedinUrl": null}}', '{title}', now(), 'lead.updated')
  returning seq, xact;
\endpipeline
commit;
