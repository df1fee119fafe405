-- Retention per tenant (issue 15 §6, ADR 0066): how many days each class of data is kept; null keeps it for ever (the
-- default, also when the tenant has no row). Audit entries are not here: their retention stays
-- tenants.audit_retention_days (ADR 0038), which audit_purge_expired() reads and a check constraint bounds.
create table retention_settings (
  tenant_id              uuid not null references tenants (id),
  recordings_days        integer check (recordings_days between 1 and 36500),
  transcripts_days       integer check (transcripts_days between 1 and 36500),
  call_logs_days         integer check (call_logs_days between 1 and 36500),
  email_bodies_days      integer check (email_bodies_days between 1 and 36500),
  closed_tickets_days    integer check (closed_tickets_days between 1 and 36500),
  deleted_records_days   integer check (deleted_records_days between 1 and 36500),
  updated_at             timestamptz not null,
  primary key (tenant_id)
);
select app_enable_tenant_rls('retention_settings');

-- The retention run finds a tenant's solved tickets and removed emails by age without reading every row.
create index tickets_solved_idx on tickets (tenant_id, solved_at) where status = 'solved';
create index email_messages_removed_idx on email_messages (tenant_id, server_state_at) where server_state = 'removed';
create index email_messages_sent_idx on email_messages (tenant_id, sent_at);
