\set n random(1, 1000000000)
\startpipeline
begin transaction isolation level read committed;
select set_config('app.tenant_id', :tenant, true), set_config('app.user_id', :user, true), set_config('app.platform', 'off', true);
\endpipeline
\startpipeline
insert into audit_log (id, action, actor_id, actor_name, actor_type, changes, entity_id, entity_type, ip, occurred_at, tenant_id, user_agent)
  values (gen_random_uuid(), 'create', :user, 'manager@acme.test', 'user',
          '{"email": {"new": "bench@example.com", "old": null}, "phone": {"new": "+14155550123", "old": null}, "custom": {"new": {}, "old": null}, "status": {"new": "new", "old": null}, "company": {"new": "Bench Co", "old": null}, "lastName": {"new": "Create", "old": null}, "doNotCall": {"new": false, "old": null}, "firstName": {"new": "Bench", "old": null}}',
          :n, 'lead', '127.0.0.1', now(), :tenant, 'wrk');
insert into leads (id, tenant_id, callback_at, company, converted_account_id, converted_at, converted_contact_id, converted_opportunity_id, created_at, custom, do_not_call, email, external_id, first_name, last_called_at, last_name, notes, owner_id, phone, source, status, time_zone, title, updated_at, version)
  values (gen_random_uuid(), :tenant, null, 'Bench Co', null, null, null, null, now(), '{}', false, 'bench@example.com', null, 'Bench', null, 'Create', null, null, '+14155550123', null, 'new', null, null, now(), 1)
  returning search_text, search_company, search_domain, search_email, search_name, search_surname;
insert into webhook_events (id, tenant_id, body, changed, created_at, type)
  values (gen_random_uuid(), :tenant, '{"id": "00000000-0000-0000-0000-000000000000","type": "lead.created","tenantId": "00000000-0000-0000-0000-000000000000","createdAt": "2026-12-06T04:49:23.7999172+00:00","data": {"id": "00000000-0000-0000-0000-000000000000","firstName": "Bench","lastName": "Create","company": "Bench Co","title": null,"email": "bench@example.com","phone": "\u002B14155550123","status": "new","source": null,"ownerId": null,"notes": null,"createdAt": "2026-12-06T04:49:23.7980886+00:00","updatedAt": "2026-12-06T04:49:23.7980886+00:00","version": 1,"timeZone": null,"doNotCall": false,"lastCalledAt": null,"callbackAt": null,"custom": {},"convertedAt": null,"convertedAccountId": null,"convertedContactId": null,"convertedOpportunityId": null,"externalId": null,"linkedinUrl": null}}', null, now(), 'lead.created')
  returning seq, xact;
\endpipeline
commit;
