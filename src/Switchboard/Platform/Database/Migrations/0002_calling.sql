-- Calling: calls and their provider events, dispositions, do-not-call list, per-tenant telephony
-- providers and calling settings, agent presence, and the durable job queue.

alter table tenant_memberships
  add column phone text constraint tenant_memberships_phone_e164 check (phone is null or phone ~ '^\+[1-9][0-9]{6,14}$');

alter table leads
  add column time_zone      text,
  add column do_not_call    boolean not null default false,
  add column last_called_at timestamptz,
  add column callback_at    timestamptz;
create index leads_tenant_phone_idx on leads (tenant_id, phone);
create index leads_tenant_callback_idx on leads (tenant_id, callback_at) where callback_at is not null;

create table call_dispositions (
  tenant_id   uuid not null references tenants (id) on delete cascade,
  code        text not null check (code ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  label       text not null,
  lead_status text check (lead_status in ('new', 'contacted', 'qualified', 'unqualified', 'converted')),
  adds_to_dnc boolean not null default false,
  is_connect  boolean not null default false,
  sort_order  integer not null default 0,
  is_active   boolean not null default true,
  primary key (tenant_id, code)
);
alter table call_dispositions enable row level security;
alter table call_dispositions force row level security;
create policy call_dispositions_tenant on call_dispositions
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

create table calls (
  tenant_id          uuid not null references tenants (id),
  id                 uuid not null,
  direction          text not null check (direction in ('outbound', 'inbound')),
  from_number        text not null,
  to_number          text not null,
  lead_id            uuid,
  agent_id           uuid,
  provider           text not null check (provider in ('twilio', 'signalwire', 'simulator')),
  provider_call_id   text,
  status             text not null check (status in ('queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled')),
  last_sequence      integer,
  created_at         timestamptz not null,
  answered_at        timestamptz,
  ended_at           timestamptz,
  duration_seconds   integer,
  disposition        text,
  notes              text,
  dispositioned_at   timestamptz,
  callback_at        timestamptz,
  recording_url      text,
  recording_duration integer,
  transcript         text,
  updated_at         timestamptz not null,
  version            integer not null default 1,
  primary key (tenant_id, id),
  constraint calls_lead_fk foreign key (tenant_id, lead_id) references leads (tenant_id, id) on delete set null (lead_id),
  constraint calls_agent_fk foreign key (tenant_id, agent_id) references tenant_memberships (tenant_id, user_id),
  constraint calls_disposition_fk foreign key (tenant_id, disposition) references call_dispositions (tenant_id, code)
);
create unique index calls_provider_call_key on calls (tenant_id, provider, provider_call_id) where provider_call_id is not null;
create index calls_tenant_lead_idx on calls (tenant_id, lead_id, created_at desc);
create index calls_tenant_agent_idx on calls (tenant_id, agent_id, created_at desc);
create index calls_tenant_created_idx on calls (tenant_id, created_at desc, id);
create index calls_tenant_live_idx on calls (tenant_id, status) where status in ('queued', 'initiated', 'ringing', 'in-progress');
alter table calls enable row level security;
alter table calls force row level security;
create policy calls_tenant on calls
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

-- Every provider callback once: the unique key makes retries and duplicates no-ops.
create table call_events (
  tenant_id   uuid not null references tenants (id),
  id          uuid not null,
  call_id     uuid,
  provider    text not null,
  event_key   text not null,
  kind        text not null,
  received_at timestamptz not null,
  payload     jsonb not null,
  primary key (tenant_id, id)
);
create unique index call_events_key on call_events (tenant_id, provider, event_key);
create index call_events_call_idx on call_events (tenant_id, call_id, received_at);
alter table call_events enable row level security;
alter table call_events force row level security;
create policy call_events_tenant on call_events
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

create table dnc_numbers (
  tenant_id  uuid not null references tenants (id) on delete cascade,
  phone      text not null check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  reason     text,
  source     text not null default 'manual',
  created_at timestamptz not null,
  created_by uuid,
  primary key (tenant_id, phone)
);
alter table dnc_numbers enable row level security;
alter table dnc_numbers force row level security;
create policy dnc_numbers_tenant on dnc_numbers
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

-- Provider credentials: non-secret settings in jsonb, secrets as one ASP.NET Core Data Protection
-- payload (never returned by the API). At most one active provider per tenant.
create table telephony_providers (
  tenant_id  uuid not null references tenants (id) on delete cascade,
  provider   text not null check (provider in ('twilio', 'signalwire', 'simulator')),
  is_active  boolean not null default false,
  settings   jsonb not null default '{}',
  secrets    text,
  updated_at timestamptz not null,
  primary key (tenant_id, provider)
);
create unique index telephony_providers_one_active on telephony_providers (tenant_id) where is_active;
alter table telephony_providers enable row level security;
alter table telephony_providers force row level security;
create policy telephony_providers_tenant on telephony_providers
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

create table calling_settings (
  tenant_id            uuid not null references tenants (id) on delete cascade,
  calling_hours        jsonb not null,
  max_attempts_per_day integer not null default 3 check (max_attempts_per_day between 1 and 100),
  inbound_owner_rule   text not null default 'round-robin' check (inbound_owner_rule in ('round-robin', 'unassigned')),
  inbound_no_agent     text not null default 'voicemail' check (inbound_no_agent in ('voicemail', 'hangup')),
  call_script          text,
  last_inbound_agent   uuid,
  updated_at           timestamptz not null,
  primary key (tenant_id)
);
alter table calling_settings enable row level security;
alter table calling_settings force row level security;
create policy calling_settings_tenant on calling_settings
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

create table agent_presence (
  tenant_id       uuid not null references tenants (id) on delete cascade,
  user_id         uuid not null,
  state           text not null check (state in ('available', 'on-call', 'wrap-up', 'away')),
  since           timestamptz not null,
  current_call_id uuid,
  primary key (tenant_id, user_id),
  constraint agent_presence_member_fk foreign key (tenant_id, user_id) references tenant_memberships (tenant_id, user_id)
);
alter table agent_presence enable row level security;
alter table agent_presence force row level security;
create policy agent_presence_tenant on agent_presence
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

-- Durable background jobs, claimed with FOR UPDATE SKIP LOCKED and a lease. A platform table: a worker
-- claims across tenants, then enters the job's tenant (tenant_id) to do the work under RLS.
create table jobs (
  id              uuid primary key,
  tenant_id       uuid references tenants (id) on delete cascade,
  kind            text not null,
  payload         jsonb not null,
  idempotency_key text,
  run_at          timestamptz not null,
  attempts        integer not null default 0,
  max_attempts    integer not null default 5,
  locked_by       text,
  locked_until    timestamptz,
  completed_at    timestamptz,
  failed_at       timestamptz,
  last_error      text,
  created_at      timestamptz not null
);
create unique index jobs_idempotency_key on jobs (idempotency_key) where idempotency_key is not null;
create index jobs_due_idx on jobs (run_at) where completed_at is null and failed_at is null;
