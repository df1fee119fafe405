-- Dialer queues hold contacts as well as leads (ADR 0035).

-- Contacts added to a queue by hand (the contacts list's bulk action, the contact page, the API): a queue serves them
-- beside its leads, in one order, under the same compliance rules. Queues have no filter over contacts.
create table dialer_queue_contacts (
  tenant_id  uuid not null,
  queue_id   uuid not null,
  contact_id uuid not null,
  added_at   timestamptz not null,
  added_by   uuid,
  primary key (tenant_id, queue_id, contact_id),
  foreign key (tenant_id, queue_id) references dialer_queues (tenant_id, id) on delete cascade,
  foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade
);
create index dialer_queue_contacts_contact_idx on dialer_queue_contacts (tenant_id, contact_id);
select app_enable_tenant_rls('dialer_queue_contacts');

-- A session works on one lead or one contact at a time: current_contact_id beside current_lead_id, never both.
-- The countdown and the dial claim name the target (a lead's or a contact's id; the session's current one decides
-- which), so their columns are renamed from *_lead_id.
alter table dialer_sessions
  add column current_contact_id uuid,
  add constraint dialer_sessions_current_contact_fk foreign key (tenant_id, current_contact_id)
    references contacts (tenant_id, id) on delete set null (current_contact_id),
  add constraint dialer_sessions_one_current check (current_lead_id is null or current_contact_id is null);
alter table dialer_sessions rename column auto_dial_lead_id to auto_dial_target_id;
alter table dialer_sessions rename column dialed_lead_id to dialed_target_id;
create index dialer_sessions_current_contact_idx on dialer_sessions (tenant_id, current_contact_id)
  where ended_at is null and current_contact_id is not null;

-- The contacts a session is done with (skipped, or called and given an outcome), as dialer_session_leads for leads:
-- one table per kind keeps a foreign key on each and the queue's anti-join on the primary key.
create table dialer_session_contacts (
  tenant_id  uuid not null references tenants (id) on delete cascade,
  session_id uuid not null,
  contact_id uuid not null,
  handled_at timestamptz not null,
  kind       text not null check (kind in ('skip', 'outcome')),
  primary key (tenant_id, session_id, contact_id),
  constraint dialer_session_contacts_session_fk foreign key (tenant_id, session_id) references dialer_sessions (tenant_id, id) on delete cascade,
  constraint dialer_session_contacts_contact_fk foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade
);
select app_enable_tenant_rls('dialer_session_contacts');
