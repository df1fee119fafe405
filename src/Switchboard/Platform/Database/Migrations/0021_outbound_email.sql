-- Email delivery (ADR 0037): an outbox of rendered messages, written in the transaction of the change that causes
-- them and delivered by the job worker ('email.send'), with a status per message.
--
-- A message belongs to a tenant (an invitation, an export) or to the platform (tenant_id null: a password reset asked
-- for before anyone is signed in). Tenant rows are visible inside their tenant; the platform path (superadmins'
-- outgoing-mail page, the worker delivering a platform message) sees every row.
create table outbound_emails (
  id            uuid primary key,
  tenant_id     uuid references tenants (id) on delete cascade,
  template      text not null,
  to_address    text not null,
  to_name       text,
  subject       text not null,
  -- The bodies are kept until the message is delivered or given up, then cleared: they may hold single-use links.
  -- Messages kept in the dev mailbox (no SMTP configured) keep them: that mailbox is where they are read.
  text_body     text,
  html_body     text,
  message_id    text not null,
  status        text not null check (status in ('queued', 'sent', 'failed', 'kept')),
  attempts      integer not null default 0,
  last_error    text,
  created_at    timestamptz not null,
  sent_at       timestamptz
);
create index outbound_emails_created_idx on outbound_emails (created_at desc);
create index outbound_emails_tenant_idx on outbound_emails (tenant_id, created_at desc);
alter table outbound_emails enable row level security;
alter table outbound_emails force row level security;
create policy outbound_emails_read on outbound_emails for select
  using (tenant_id = app_current_tenant() or current_setting('app.platform', true) = 'on');
create policy outbound_emails_write on outbound_emails for insert
  with check (tenant_id = app_current_tenant() or tenant_id is null);
create policy outbound_emails_update on outbound_emails for update
  using (tenant_id = app_current_tenant() or current_setting('app.platform', true) = 'on');

-- Branding in emails: the tenant's logo, an https URL the recipient's mail client loads (the server never fetches it).
alter table tenants add column logo_url text;
