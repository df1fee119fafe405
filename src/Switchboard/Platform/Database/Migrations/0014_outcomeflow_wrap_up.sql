-- Wrap-up ends on the call's outcome or after the tenant's maximum, when the call is marked "no-outcome" and the
-- agent is available again (docs/CALLING.md). 10 seconds to 1 hour; 2 minutes until an admin changes it.
alter table calling_settings
  add column wrap_up_max_seconds integer not null default 120 check (wrap_up_max_seconds between 10 and 3600);

-- A contact can be called from its page like a lead: the call names the contact instead of a lead.
alter table calls
  add column contact_id uuid,
  add constraint calls_contact_fk foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete set null (contact_id);
create index calls_tenant_contact_idx on calls (tenant_id, contact_id, created_at desc) where contact_id is not null;
