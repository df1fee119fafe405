-- A committing transaction no longer waits for its chain (ADR 0049). Under 0025 every audited commit of a tenant took
-- the tenant's chain lock and held it through its commit's WAL flush, so a tenant's audited writes committed one at a
-- time, each waiting for the one before to be flushed and for its own backend to be scheduled again (bench/api: the
-- app's creates at 0.38 of pgbench's). Now the seal only tries the lock: a transaction that gets it seals the chain's
-- backlog and its own rows as before; one that does not puts its rows in audit_backlog and commits at once. The next
-- seal of that chain (its next audited commit, or the sweep every instance runs each second) seals the backlog first,
-- in the order it was queued. Nobody waits for a chain lock at commit any more; only the retention purge and
-- verification (which asks for the backlog to be sealed first) wait, and a chain lock's holder waits for nothing.

-- Rows committed while their chain's lock was busy, in the order they were queued. Written and emptied only by the
-- seal functions (the owner); the runtime role reads its tenant's entries (verification tells "not sealed yet" from
-- "never sealed" with them). Row-level security applies to the runtime role only: the seal reads every chain's.
create table audit_backlog (
  id       bigint generated always as identity primary key,
  chain_id uuid not null,
  audit_id uuid not null unique
);
create index audit_backlog_chain_idx on audit_backlog (chain_id, id);
alter table audit_backlog enable row level security;
create policy audit_backlog_read on audit_backlog for select
  using (chain_id = app_current_tenant()
         or (chain_id = '00000000-0000-0000-0000-000000000000' and current_setting('app.platform', true) = 'on'));
revoke all on audit_backlog from public;
do $$
begin
  if exists (select from pg_roles where rolname = 'switchboard_runtime') then
    execute 'grant select on audit_backlog to switchboard_runtime';
  end if;
end $$;

-- audit_chain_lock (0022) without waiting: true when this transaction now holds the chain's lock.
create function audit_chain_try_lock(chain uuid) returns boolean
  language sql
  as $$ select pg_try_advisory_xact_lock(1635087725, hashtext(chain::text)) $$;

-- Enters a chain for writing its links (its tenant, or the platform path), as audit_chain's insert policy requires.
create function audit_enter_chain(chain uuid) returns void
  language sql
  as $$
    select case when chain = '00000000-0000-0000-0000-000000000000'
                then set_config('app.platform', 'on', true)
                else set_config('app.tenant_id', chain::text, true) end
  $$;

-- Links one row as the chain's next: its number, the hash of the row before, its own hash. Returns the row's hash.
-- The caller holds the chain's lock and has entered the chain.
create function audit_link(r audit_log, chain uuid, seq bigint, prev bytea) returns bytea
  language plpgsql
  as $$
declare
  hash constant bytea := sha256(convert_to(audit_canonical(r, seq, prev), 'UTF8'));
begin
  insert into audit_chain (chain_id, seq, audit_id, prev_hash, row_hash) values (chain, seq, r.id, prev, hash);
  return hash;
end $$;

-- Seals a chain's backlog (rows committed while its lock was busy), oldest first, after the head it is given; returns
-- the new head (unchanged when the backlog is empty). The caller holds the chain's lock and has entered the chain.
-- Backlog entries whose row is gone (deleted behind the application's back before it was sealed) are dropped.
create function audit_seal_backlog(chain uuid, inout seq bigint, inout hash bytea)
  language plpgsql
  as $$
declare
  r audit_log;
begin
  for r in
    with taken as (delete from audit_backlog b where b.chain_id = chain returning b.id, b.audit_id)
    select a.* from taken join audit_log a on a.id = taken.audit_id order by taken.id
  loop
    seq := seq + 1;
    hash := audit_link(r, chain, seq, hash);
  end loop;
end $$;

-- Seals one row when its transaction commits (a deferred constraint trigger runs after every statement of the
-- transaction, in the order the rows were inserted). The first row of a seal tries the lock of every chain the
-- transaction wrote, in id order, without waiting; for each chain it got, it reads the head and seals that chain's
-- backlog. Each row of a locked chain then gets the next number of its chain, the hash of the row before and its own
-- hash, as a link; a row of a chain whose lock was busy joins that chain's backlog. The last row moves the heads of the
-- chains it sealed and restores the settings. Between rows, each locked chain's last number and hash and the caller's
-- tenant and platform settings are kept in app.audit_seal.
create or replace function audit_seal() returns trigger
  language plpgsql security definer set search_path = public, pg_temp
  as $$
declare
  chain constant uuid := coalesce(new.tenant_id, '00000000-0000-0000-0000-000000000000');
  state jsonb := nullif(current_setting('app.audit_seal', true), '')::jsonb;
  pending constant bigint := current_setting('app.audit_pending')::bigint - 1;
  c uuid;
  head audit_chain_heads;
  seq bigint;
  hash bytea;
  locked jsonb;
begin
  if state is null then
    state := jsonb_build_object('tenant', current_setting('app.tenant_id', true), 'platform', current_setting('app.platform', true), 'chains', '{}'::jsonb);
    for c in select distinct x::uuid from unnest(string_to_array(current_setting('app.audit_chains'), ' ')) x where x <> '' order by 1 loop
      if audit_chain_try_lock(c) then
        select * into head from audit_chain_heads where chain_id = c;
        perform audit_enter_chain(c);
        select b.seq, b.hash into seq, hash from audit_seal_backlog(c, coalesce(head.seq, 0), head.head_hash) b;
        state := jsonb_set(state, array['chains', c::text], jsonb_build_object('seq', seq, 'hash', encode(hash, 'hex'))
                 || case when seq is distinct from coalesce(head.seq, 0) then '{"moved": true}'::jsonb else '{}'::jsonb end);
      end if;
    end loop;
  end if;

  locked := state #> array['chains', chain::text];
  if locked is null then
    insert into audit_backlog (chain_id, audit_id) values (chain, new.id);
  else
    seq := (locked ->> 'seq')::bigint + 1;
    perform audit_enter_chain(chain);
    hash := audit_link(new, chain, seq, decode(locked ->> 'hash', 'hex'));
    state := jsonb_set(state, array['chains', chain::text], jsonb_build_object('seq', seq, 'hash', encode(hash, 'hex'), 'moved', true));
  end if;

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

-- Seals the backlog of one chain (the caller's, for verification: waiting for the chain's lock), or of every chain
-- that has one (the sweep each instance runs: skipping a chain whose lock is busy, as its holder seals the backlog
-- anyway). A chain's lock holder waits for nothing, so waiting here cannot close a cycle. Any caller may ask: sealing
-- is what would happen anyway, and nothing is returned. Restores the caller's tenant and platform settings.
create function audit_seal_backlogs(only_chain uuid, wait boolean) returns void
  language plpgsql security definer set search_path = public, pg_temp
  as $$
declare
  tenant constant text := current_setting('app.tenant_id', true);
  platform constant text := current_setting('app.platform', true);
  c uuid;
  head audit_chain_heads;
  seq bigint;
  hash bytea;
begin
  for c in select distinct b.chain_id from audit_backlog b where only_chain is null or b.chain_id = only_chain order by 1 loop
    if wait then
      perform audit_chain_lock(c);
    elsif not audit_chain_try_lock(c) then
      continue;
    end if;
    perform audit_enter_chain(c);
    select * into head from audit_chain_heads where chain_id = c;
    select b.seq, b.hash into seq, hash from audit_seal_backlog(c, coalesce(head.seq, 0), head.head_hash) b;
    if seq is distinct from coalesce(head.seq, 0) then
      insert into audit_chain_heads (chain_id, seq, head_hash) values (c, seq, hash)
      on conflict (chain_id) do update set seq = excluded.seq, head_hash = excluded.head_hash;
    end if;
  end loop;
  perform set_config('app.tenant_id', coalesce(tenant, ''), true);
  perform set_config('app.platform', coalesce(platform, ''), true);
end $$;
revoke all on function audit_seal_backlogs(uuid, boolean) from public;
revoke all on function audit_link(audit_log, uuid, bigint, bytea) from public;
revoke all on function audit_seal_backlog(uuid, bigint, bytea) from public;
do $$
begin
  if exists (select from pg_roles where rolname = 'switchboard_runtime') then
    execute 'grant execute on function audit_seal_backlogs(uuid, boolean) to switchboard_runtime';
  end if;
end $$;
