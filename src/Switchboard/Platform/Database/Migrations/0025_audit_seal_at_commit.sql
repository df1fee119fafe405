-- Audit rows are chained when their transaction commits, not when they are inserted (ADR 0041). 0022 numbered and
-- hashed each row as it was inserted, under its chain's lock held from that row to the commit: a transaction that then
-- waited for a row lock deadlocked with one that held the row and waited for the chain (found by CI), and a long
-- transaction with an early audit row held up every audited write of its tenant. Now audit_log is append-only again
-- (no chain columns), and each row's place in its chain is a link in audit_chain, written by a deferred constraint
-- trigger when the transaction commits, after all its statements, under the chains' locks taken in one order. The
-- canonical form (version 1) and so every hash already written do not change.

drop trigger audit_log_chain on audit_log;
drop trigger audit_log_chain_heads on audit_log;
drop function audit_log_chain();
drop function audit_log_chain_heads();

-- One link per sealed audit row: its chain (the tenant's id, or the nil uuid for the platform chain), its number in
-- the chain, the hash of the row before and its own hash. No foreign key to audit_log: a row deleted behind the
-- application's back must leave its link (and so a gap verification reports), not be refused or cascade.
create table audit_chain (
  chain_id  uuid not null,
  seq       bigint not null,
  audit_id  uuid not null,
  prev_hash bytea,
  row_hash  bytea not null,
  primary key (chain_id, seq)
);
create unique index audit_chain_audit_idx on audit_chain (audit_id);

-- Existing rows keep their numbers and hashes. Row-level security is lifted for the owner for the copy.
alter table audit_log no force row level security;
insert into audit_chain (chain_id, seq, audit_id, prev_hash, row_hash)
select coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'), seq, id, prev_hash, row_hash from audit_log;
alter table audit_log force row level security;
drop function audit_canonical(audit_log);
drop index audit_log_chain_idx;
alter table audit_log drop column seq, drop column prev_hash, drop column row_hash;

-- The canonical form of a row, version 1, unchanged: the row's columns with its number and link, in the same order.
create function audit_canonical(r audit_log, seq bigint, prev_hash bytea) returns text
  language sql stable parallel safe
  as $$
    select 'switchboard-audit-v1'
      || audit_field(r.id::text)
      || audit_field(r.tenant_id::text)
      || audit_field(seq::text)
      || audit_field(to_char(r.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
      || audit_field(r.actor_type)
      || audit_field(r.actor_id::text)
      || audit_field(r.actor_name)
      || audit_field(r.action)
      || audit_field(r.entity_type)
      || audit_field(r.entity_id)
      || audit_field(r.changes::text)
      || audit_field(r.ip)
      || audit_field(r.user_agent)
      || audit_field(encode(prev_hash, 'hex'))
  $$;

-- A tenant reads its own chain's links, the platform path the platform chain's. Only the seal (the owner, through
-- audit_seal below) inserts, into the chain it entered; links are deleted only by the retention purge, and only once
-- their audit row is gone. Nobody updates them. The runtime role may only read.
alter table audit_chain enable row level security;
alter table audit_chain force row level security;
create policy audit_chain_read on audit_chain for select
  using (chain_id = app_current_tenant()
         or (chain_id = '00000000-0000-0000-0000-000000000000' and current_setting('app.platform', true) = 'on'));
create policy audit_chain_seal on audit_chain for insert
  with check (chain_id = app_current_tenant()
              or (chain_id = '00000000-0000-0000-0000-000000000000' and current_setting('app.platform', true) = 'on'));
create policy audit_chain_retention on audit_chain for delete
  using (chain_id = app_current_tenant() and not exists (select from audit_log a where a.id = audit_chain.audit_id));
revoke all on audit_chain from public;
do $$
begin
  if exists (select from pg_roles where rolname = 'switchboard_runtime') then
    execute 'revoke all on audit_chain from switchboard_runtime';
    execute 'grant select on audit_chain to switchboard_runtime';
  end if;
end $$;

-- Evaluated as each inserted row's seal is queued (the WHEN of audit_log_seal below, so only for rows really inserted):
-- counts the transaction's rows waiting for the seal (app.audit_pending) and notes their chains (app.audit_chains).
-- Transaction-local settings: a rolled-back savepoint takes its rows' entries with it, as PostgreSQL drops their
-- queued seals.
create function audit_seal_queue(tenant uuid) returns boolean
  language plpgsql
  as $$
declare
  chain constant text := coalesce(tenant, '00000000-0000-0000-0000-000000000000')::text;
  chains constant text := coalesce(current_setting('app.audit_chains', true), '');
begin
  perform set_config('app.audit_pending', (coalesce(nullif(current_setting('app.audit_pending', true), ''), '0')::bigint + 1)::text, true);
  if position(chain in chains) = 0 then
    perform set_config('app.audit_chains', chains || chain || ' ', true);
  end if;
  return true;
end $$;

-- Seals one row when its transaction commits (a deferred constraint trigger runs after every statement of the
-- transaction, in the order the rows were inserted). The first row of a seal locks every chain the transaction wrote,
-- in id order, and reads their heads; each row then gets the next number of its chain, the hash of the row before and
-- its own hash, as a link; the last row moves the chains' heads and restores the settings. Between rows, each chain's
-- last number and hash and the caller's tenant and platform settings are kept in app.audit_seal. Chain locks are
-- taken after every row lock the transaction will hold and released by the commit, so waiting for one never closes
-- a cycle. The link is written inside the row's chain (its tenant, or the platform path), as its policy requires.
create function audit_seal() returns trigger
  language plpgsql security definer set search_path = public, pg_temp
  as $$
declare
  platform_chain constant uuid := '00000000-0000-0000-0000-000000000000';
  chain constant uuid := coalesce(new.tenant_id, platform_chain);
  state jsonb := nullif(current_setting('app.audit_seal', true), '')::jsonb;
  pending constant bigint := current_setting('app.audit_pending')::bigint - 1;
  c uuid;
  head audit_chain_heads;
  seq bigint;
  prev bytea;
  hash bytea;
begin
  if state is null then
    state := jsonb_build_object('tenant', current_setting('app.tenant_id', true), 'platform', current_setting('app.platform', true), 'chains', '{}'::jsonb);
    for c in select distinct x::uuid from unnest(string_to_array(current_setting('app.audit_chains'), ' ')) x where x <> '' order by 1 loop
      perform audit_chain_lock(c);
      select * into head from audit_chain_heads where chain_id = c;
      state := jsonb_set(state, array['chains', c::text], jsonb_build_object('seq', coalesce(head.seq, 0), 'hash', encode(head.head_hash, 'hex')));
    end loop;
  end if;

  seq := (state #>> array['chains', chain::text, 'seq'])::bigint + 1;
  prev := decode(state #>> array['chains', chain::text, 'hash'], 'hex');
  hash := sha256(convert_to(audit_canonical(new, seq, prev), 'UTF8'));
  if chain = platform_chain then
    perform set_config('app.platform', 'on', true);
  else
    perform set_config('app.tenant_id', chain::text, true);
  end if;
  insert into audit_chain (chain_id, seq, audit_id, prev_hash, row_hash) values (chain, seq, new.id, prev, hash);
  state := jsonb_set(state, array['chains', chain::text], jsonb_build_object('seq', seq, 'hash', encode(hash, 'hex'), 'moved', true));

  if pending > 0 then
    perform set_config('app.audit_seal', state::text, true);
    perform set_config('app.audit_pending', pending::text, true);
    return null;
  end if;
  insert into audit_chain_heads as h (chain_id, seq, head_hash)
  select k::uuid, (v ->> 'seq')::bigint, decode(v ->> 'hash', 'hex')
  from jsonb_each(state -> 'chains') e(k, v)
  where v ? 'moved'
  on conflict (chain_id) do update set seq = excluded.seq, head_hash = excluded.head_hash;
  perform set_config('app.tenant_id', coalesce(state ->> 'tenant', ''), true);
  perform set_config('app.platform', coalesce(state ->> 'platform', ''), true);
  perform set_config('app.audit_seal', '', true);
  perform set_config('app.audit_pending', '0', true);
  perform set_config('app.audit_chains', '', true);
  return null;
end $$;
create constraint trigger audit_log_seal after insert on audit_log deferrable initially deferred
  for each row when (audit_seal_queue(new.tenant_id)) execute function audit_seal();

-- Retention (ADR 0038) over the links: the longest prefix of the current tenant's chain whose rows all occurred before
-- its retention's cutoff is deleted, rows first, then their links; the anchor is the last purged link.
create or replace function audit_purge_expired()
  returns table (purged bigint, through_seq bigint, cutoff timestamptz, retention_days integer)
  language plpgsql security definer set search_path = public, pg_temp
  as $$
declare
  t constant uuid := app_current_tenant();
  head audit_chain_heads;
  last_purged bigint;
  last_hash bytea;
begin
  if t is null then
    raise exception 'audit_purge_expired: no tenant is set (app.tenant_id)';
  end if;
  select audit_retention_days into retention_days from tenants where id = t;
  if retention_days is null then
    return;
  end if;
  cutoff := now() - make_interval(days => retention_days);
  perform audit_chain_lock(t);
  select * into head from audit_chain_heads where chain_id = t;
  if not found then
    purged := 0;
    return next;
    return;
  end if;
  select coalesce(min(l.seq) - 1, head.seq) into last_purged
  from audit_log a join audit_chain l on l.audit_id = a.id
  where a.tenant_id = t and a.occurred_at >= cutoff;
  if last_purged <= head.anchor_seq then
    purged := 0;
    through_seq := head.anchor_seq;
    return next;
    return;
  end if;
  select l.row_hash into last_hash from audit_chain l join audit_log a on a.id = l.audit_id where l.chain_id = t and l.seq = last_purged;
  if not found then
    raise exception 'audit_purge_expired: row % of the audit chain of tenant % is missing; run switchboard audit verify', last_purged, t;
  end if;
  delete from audit_log a using audit_chain l
  where l.audit_id = a.id and l.chain_id = t and l.seq > head.anchor_seq and l.seq <= last_purged;
  get diagnostics purged = row_count;
  delete from audit_chain l where l.chain_id = t and l.seq > head.anchor_seq and l.seq <= last_purged;
  update audit_chain_heads set anchor_seq = last_purged, anchor_hash = last_hash where chain_id = t;
  through_seq := last_purged;
  return next;
end $$;
