-- Dialer queues: an agent's saved filter over their leads (statuses, never called / last called before).
-- The filter is jsonb so that new criteria need no migration; the dialer reads it through DialerQueueFilter.

create table dialer_queues (
  tenant_id  uuid not null references tenants (id) on delete cascade,
  id         uuid not null,
  user_id    uuid not null,
  name       text not null check (length(name) between 1 and 100),
  filter     jsonb not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (tenant_id, id),
  constraint dialer_queues_member_fk foreign key (tenant_id, user_id) references tenant_memberships (tenant_id, user_id) on delete cascade
);
create index dialer_queues_user_idx on dialer_queues (tenant_id, user_id, name);
alter table dialer_queues enable row level security;
alter table dialer_queues force row level security;
create policy dialer_queues_tenant on dialer_queues
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
