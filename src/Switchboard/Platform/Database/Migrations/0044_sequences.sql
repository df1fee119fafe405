-- Sequences (issue 14 §2, ADR 0060): ordered email / call / task / wait steps that people are enrolled in, a scheduler
-- that runs each enrolment's due step once, and the tenant's holidays that the business-day arithmetic skips.

-- The tenant's holidays: no sequence step is sent or scheduled on these dates (in the recipient's local calendar).
create table tenant_holidays (
  tenant_id   uuid not null references tenants (id),
  day         date not null,
  name        text not null,
  created_at  timestamptz not null,
  primary key (tenant_id, day)
);
select app_enable_tenant_rls('tenant_holidays');

-- A sequence: its steps in order (jsonb, validated by the application: email / call / task / wait), the mailbox its
-- emails go out from, its sending window on the recipient's clock, and the lead statuses that stop an enrolment.
create table sequences (
  tenant_id      uuid not null references tenants (id),
  id             uuid not null,
  name           text not null,
  mailbox_id     uuid,
  is_active      boolean not null default true,
  steps          jsonb not null default '[]',
  window_days    integer[] not null default '{1,2,3,4,5}' check (window_days <@ '{0,1,2,3,4,5,6}'),
  window_from    time not null default '09:00',
  window_to      time not null default '17:00' check (window_to > window_from),
  stop_statuses  text[] not null default '{}',
  created_by     uuid,
  created_at     timestamptz not null,
  updated_at     timestamptz not null,
  version        integer not null default 1,
  primary key (tenant_id, id),
  foreign key (tenant_id, mailbox_id) references mailboxes (tenant_id, id) on delete set null (mailbox_id)
);
select app_enable_tenant_rls('sequences');

-- One person's way through a sequence. At most one active (or paused) enrolment per person per sequence. The
-- scheduler claims due rows (due_at) with a lease (locked_by, locked_until); an email step leaves due_at null and
-- waits for its outbound email's outcome (awaiting_email_id). A stop keeps its reason, time and evidence (the
-- inbound message, the call, the outbound email or the member behind it).
create table sequence_enrolments (
  tenant_id          uuid not null references tenants (id),
  id                 uuid not null,
  sequence_id        uuid not null,
  related_type       text not null check (related_type in ('lead', 'contact')),
  related_id         uuid not null,
  email              text,
  assignee_id        uuid,
  status             text not null check (status in ('active', 'paused', 'stopped', 'completed')),
  step_index         integer not null default 0,
  due_at             timestamptz,
  awaiting_email_id  uuid,
  enrolled_by        uuid,
  enrolled_at        timestamptz not null,
  stop_reason        text check (stop_reason in ('replied', 'call_connected', 'unsubscribed', 'bounced', 'status_changed', 'email_failed', 'manual')),
  stop_detail        text,
  stop_evidence_id   text,
  stopped_at         timestamptz,
  stopped_by         uuid,
  completed_at       timestamptz,
  last_error         text,
  locked_by          text,
  locked_until       timestamptz,
  updated_at         timestamptz not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, sequence_id) references sequences (tenant_id, id) on delete cascade
);
create unique index sequence_enrolments_one_active on sequence_enrolments (tenant_id, sequence_id, related_type, related_id)
  where status in ('active', 'paused');
create index sequence_enrolments_person_idx on sequence_enrolments (tenant_id, related_type, related_id) where status in ('active', 'paused');
create index sequence_enrolments_due_idx on sequence_enrolments (due_at) where status = 'active' and due_at is not null;
select app_enable_tenant_rls('sequence_enrolments');

-- What each executed step did, once per enrolment and step (the primary key is the guard against running it twice):
-- the outbound email, dialer queue or task it made, and when.
create table sequence_step_runs (
  tenant_id      uuid not null references tenants (id),
  enrolment_id   uuid not null,
  step_index     integer not null,
  kind           text not null check (kind in ('email', 'call', 'task', 'wait')),
  evidence_id    uuid,
  note           text,
  ran_at         timestamptz not null,
  completed_at   timestamptz,
  primary key (tenant_id, enrolment_id, step_index),
  foreign key (tenant_id, enrolment_id) references sequence_enrolments (tenant_id, id) on delete cascade
);
select app_enable_tenant_rls('sequence_step_runs');

-- The schedulers of every instance claim due enrolments across tenants with a lease, as the mailbox watchers claim
-- mailboxes (0039): the function runs as the schema owner, to whom FORCE ROW LEVEL SECURITY applies too; the extra
-- policy lets only that role, and only while this function has set app.sequence_claim, see every tenant's rows. The
-- step itself then runs inside the enrolment's tenant, under the ordinary policies.
create policy sequence_enrolments_claim on sequence_enrolments to current_user
  using (current_setting('app.sequence_claim', true) = 'on') with check (current_setting('app.sequence_claim', true) = 'on');

create function sequence_claim(p_worker text, p_now timestamptz, p_until timestamptz, p_max integer)
  returns table (tenant_id uuid, id uuid)
  language plpgsql security definer set search_path = public, pg_temp
  as $$
#variable_conflict use_column
begin
  perform set_config('app.sequence_claim', 'on', true);
  return query
    update sequence_enrolments e set locked_by = p_worker, locked_until = p_until
    from (select c.tenant_id, c.id from sequence_enrolments c
          where c.status = 'active' and c.due_at is not null and c.due_at <= p_now
            and (c.locked_until is null or c.locked_until < p_now)
          order by c.due_at
          limit p_max
          for update skip locked) pick
    where e.tenant_id = pick.tenant_id and e.id = pick.id
    returning e.tenant_id, e.id;
  perform set_config('app.sequence_claim', '', true);
end $$;
revoke execute on function sequence_claim(text, timestamptz, timestamptz, integer) from public;
do $$
begin
  if exists (select from pg_roles where rolname = 'switchboard_runtime') then
    execute 'grant execute on function sequence_claim(text, timestamptz, timestamptz, integer) to switchboard_runtime';
  end if;
end $$;
