-- Dialer sessions (ADR 0017): the session of an agent working one of their queues lives here, not in the page URL.
-- At most one open session per agent and queue (a second tab resumes it). current_lead_id is the lead the session
-- has on screen: every tab of the session shows it, and no other open, recently active session is served it.
-- Handled leads are rows of dialer_session_leads rather than a uuid[] on the session: the queue query leaves them out
-- with an anti-join on the primary key, a session has no length cap, and two tabs recording leads at once insert
-- separate rows (on conflict do nothing) instead of rewriting one growing array under a row lock.

create table dialer_sessions (
  tenant_id       uuid not null references tenants (id) on delete cascade,
  id              uuid not null,
  user_id         uuid not null,
  queue_id        uuid not null,
  started_at      timestamptz not null,
  last_active_at  timestamptz not null,
  ended_at        timestamptz,
  current_lead_id uuid,
  current_since   timestamptz,
  calls           integer not null default 0 check (calls >= 0),
  connected       integer not null default 0 check (connected >= 0),
  outcomes        integer not null default 0 check (outcomes >= 0),
  skipped         integer not null default 0 check (skipped >= 0),
  version         integer not null default 1,
  primary key (tenant_id, id),
  constraint dialer_sessions_member_fk foreign key (tenant_id, user_id) references tenant_memberships (tenant_id, user_id) on delete cascade,
  constraint dialer_sessions_queue_fk foreign key (tenant_id, queue_id) references dialer_queues (tenant_id, id) on delete cascade,
  constraint dialer_sessions_current_lead_fk foreign key (tenant_id, current_lead_id) references leads (tenant_id, id) on delete set null (current_lead_id)
);
create unique index dialer_sessions_open_idx on dialer_sessions (tenant_id, user_id, queue_id) where ended_at is null;
create index dialer_sessions_current_lead_idx on dialer_sessions (tenant_id, current_lead_id) where ended_at is null and current_lead_id is not null;
select app_enable_tenant_rls('dialer_sessions');

create table dialer_session_leads (
  tenant_id  uuid not null references tenants (id) on delete cascade,
  session_id uuid not null,
  lead_id    uuid not null,
  handled_at timestamptz not null,
  kind       text not null check (kind in ('skip', 'outcome')),
  primary key (tenant_id, session_id, lead_id),
  constraint dialer_session_leads_session_fk foreign key (tenant_id, session_id) references dialer_sessions (tenant_id, id) on delete cascade,
  constraint dialer_session_leads_lead_fk foreign key (tenant_id, lead_id) references leads (tenant_id, id) on delete cascade
);
select app_enable_tenant_rls('dialer_session_leads');
