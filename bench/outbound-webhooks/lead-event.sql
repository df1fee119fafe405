-- What a lead create costs in the database with its lead.created event written in the same transaction (bench/api's
-- lead-create.sql plus the interceptor's insert); compared with lead-create.sql alone in the same run. The event body (a
-- lead.created body as the app writes it, ~700 bytes) is given in base64 because pgbench reads ":name" in SQL as a variable.
\set n random(1, 1000000000)
\startpipeline
begin transaction isolation level read committed;
insert into audit_log (id, action, actor_id, actor_name, actor_type, changes, entity_id, entity_type, ip, occurred_at, tenant_id, user_agent)
  values (gen_random_uuid(), 'create', :user, 'manager@acme.test', 'user',
          '{"email": {"new": "bench@example.com", "old": null}, "phone": {"new": "+14155550123", "old": null}, "custom": {"new": {}, "old": null}, "status": {"new": "new", "old": null}, "company": {"new": "Bench Co", "old": null}, "lastName": {"new": "Create", "old": null}, "doNotCall": {"new": false, "old": null}, "firstName": {"new": "Bench", "old": null}}',
          :n, 'lead', '127.0.0.1', now(), :tenant, 'wrk');
insert into leads (id, tenant_id, callback_at, company, converted_account_id, converted_at, converted_contact_id, converted_opportunity_id, created_at, custom, do_not_call, email, external_id, first_name, last_called_at, last_name, notes, owner_id, phone, source, status, time_zone, title, updated_at, version)
  values (gen_random_uuid(), :tenant, null, 'Bench Co', null, null, null, null, now(), '{}', false, 'bench@example.com', null, 'Bench', null, 'Create', null, null, '+14155550123', null, 'new', null, null, now(), 1)
  returning search_text, search_company, search_domain, search_email, search_name, search_surname;
insert into webhook_events (tenant_id, id, type, created_at, changed, body)
  values (:tenant, gen_random_uuid(), 'lead.created', now(), null,
          convert_from(decode('eyJpZCI6IjAxOWFlYzNiLTZhNDMtN2IxZi05YTUzLTFjMmYwZTZkN2ExMCIsInR5cGUiOiJsZWFkLmNyZWF0ZWQiLCJ0ZW5hbnRJZCI6IjAxOWFlYzNiLTZhNDMtN2IxZi05YTUzLTFjMmYwZTZkN2ExMSIsImNyZWF0ZWRBdCI6IjIwMjYtMTItMDVUMDU6MDA6MDAuMTIzNDU2KzAwOjAwIiwiZGF0YSI6eyJpZCI6IjAxOWFlYzNiLTZhNDMtN2IxZi05YTUzLTFjMmYwZTZkN2ExMiIsImZpcnN0TmFtZSI6IkJlbmNoIiwibGFzdE5hbWUiOiJDcmVhdGUiLCJlbWFpbCI6ImJlbmNoQGV4YW1wbGUuY29tIiwicGhvbmUiOiIrMTQxNTU1NTAxMjMiLCJjb21wYW55IjoiQmVuY2ggQ28iLCJ0aXRsZSI6bnVsbCwic3RhdHVzIjoibmV3Iiwic291cmNlIjpudWxsLCJvd25lcklkIjpudWxsLCJvd25lck5hbWUiOm51bGwsImRvTm90Q2FsbCI6ZmFsc2UsInRpbWVab25lIjpudWxsLCJsaW5rZWRpblVybCI6bnVsbCwibm90ZXMiOm51bGwsImNhbGxiYWNrQXQiOm51bGwsImxhc3RDYWxsZWRBdCI6bnVsbCwiZXh0ZXJuYWxJZCI6bnVsbCwiY3VzdG9tIjp7fSwiY29udmVydGVkQXQiOm51bGwsImNvbnZlcnRlZEFjY291bnRJZCI6bnVsbCwiY29udmVydGVkQ29udGFjdElkIjpudWxsLCJjb252ZXJ0ZWRPcHBvcnR1bml0eUlkIjpudWxsLCJjcmVhdGVkQXQiOiIyMDI2LTEyLTA1VDA1OjAwOjAwLjEyMzQ1NiswMDowMCIsInVwZGF0ZWRBdCI6IjIwMjYtMTItMDVUMDU6MDA6MDAuMTIzNDU2KzAwOjAwIiwidmVyc2lvbiI6MX19', 'base64'), 'utf8'));
\endpipeline
commit;
