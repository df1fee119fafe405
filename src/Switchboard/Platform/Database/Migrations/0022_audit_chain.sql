-- The audit log proves itself (ADR 0038): one catalogue of action names, a SHA-256 hash chain per tenant (and one
-- for platform rows) computed by PostgreSQL whoever inserts, and per-tenant retention that keeps the chain verifiable.

-- Action names as the catalogue (Platform/Audit/AuditActions.cs) has them: past tense; events are entity.verb, record
-- changes written by the interceptor the bare verbs created/updated/deleted (the entity is the row's entity_type).
-- Existing rows are renamed before they are chained, so the viewer, its filters and record histories know one name.
-- "AI" joins the actors, for the filters and for the AI features to come.
alter table audit_log drop constraint audit_log_actor_type_check;
alter table audit_log add constraint audit_log_actor_type_check check (actor_type in ('user', 'api-key', 'system', 'anonymous', 'ai'));

-- seq numbers the rows of one chain (a tenant's, or the platform's: tenant_id null) from 1 without gaps; prev_hash is
-- the row_hash of the row before it in the chain (null for seq 1); row_hash is SHA-256 over audit_canonical(row).
alter table audit_log add column seq bigint, add column prev_hash bytea, add column row_hash bytea;

-- The newest row of every chain, and the anchor a retention purge leaves: rows up to anchor_seq were deleted, and
-- anchor_hash is the row_hash of the last of them (the prev_hash the first kept row must carry). chain_id is the
-- tenant's id, or the nil uuid for the platform chain. Only the owner reads or writes it, through the functions below.
create table audit_chain_heads (
  chain_id    uuid primary key,
  seq         bigint not null,
  head_hash   bytea,
  anchor_seq  bigint not null default 0,
  anchor_hash bytea
);
revoke all on audit_chain_heads from public;
do $$
begin
  if exists (select from pg_roles where rolname = 'switchboard_runtime') then
    execute 'revoke all on audit_chain_heads from switchboard_runtime';
  end if;
end $$;

-- One field of the canonical form: '|-' for null, else '|' || its length in UTF-8 bytes || ':' || the text. The length
-- prefix makes the concatenation unambiguous whatever the text holds.
create function audit_field(v text) returns text
  language sql stable parallel safe
  as $$ select case when v is null then '|-' else '|' || octet_length(convert_to(v, 'UTF8')) || ':' || v end $$;

-- The canonical form of a row, version 1: every content column in this order, uuids lowercase with hyphens, the time
-- in UTC to the microsecond, changes in PostgreSQL's jsonb text form (what changes::text returns), prev_hash as
-- lowercase hex. The verifier (Platform/Audit/AuditChainVerifier.cs) builds the same text in C# from the columns.
create function audit_canonical(r audit_log) returns text
  language sql stable parallel safe
  as $$
    select 'switchboard-audit-v1'
      || audit_field(r.id::text)
      || audit_field(r.tenant_id::text)
      || audit_field(r.seq::text)
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
      || audit_field(encode(r.prev_hash, 'hex'))
  $$;

-- Existing rows, chain by chain in order of occurred_at, id. Row-level security is lifted for the owner and it may
-- update audit_log inside this transaction only.
alter table audit_log no force row level security;
grant update on audit_log to current_user;

update audit_log set action = case action
    when 'create' then 'created'
    when 'update' then 'updated'
    when 'delete' then 'deleted'
    when 'sign-in' then 'user.signed-in'
    when 'sign-in-failed' then 'user.sign-in-failed'
    when 'superadmin.create' then 'superadmin.created'
    when 'superadmin.update' then 'superadmin.updated'
    when 'tenant.create' then 'tenant.created'
    when 'tenant.update' then 'tenant.updated'
    when 'tenant.reactivate' then 'tenant.reactivated'
    when 'tenant.deactivate' then 'tenant.deactivated'
    when 'report.export' then 'report.downloaded'
    when 'export' then 'export.downloaded'
    when 'users.import' then 'users.imported'
  end
where action in ('create', 'update', 'delete', 'sign-in', 'sign-in-failed', 'superadmin.create', 'superadmin.update', 'tenant.create',
                 'tenant.update', 'tenant.reactivate', 'tenant.deactivate', 'report.export', 'export', 'users.import');

do $$
declare
  r audit_log;
  chain uuid;
  started boolean := false;
  n bigint := 0;
  prev bytea;
begin
  for r in select * from audit_log order by tenant_id nulls first, occurred_at, id loop
    if not started or r.tenant_id is distinct from chain then
      if started then
        insert into audit_chain_heads (chain_id, seq, head_hash) values (coalesce(chain, '00000000-0000-0000-0000-000000000000'), n, prev);
      end if;
      started := true;
      chain := r.tenant_id;
      n := 0;
      prev := null;
    end if;
    n := n + 1;
    r.seq := n;
    r.prev_hash := prev;
    r.row_hash := sha256(convert_to(audit_canonical(r), 'UTF8'));
    update audit_log set seq = r.seq, prev_hash = r.prev_hash, row_hash = r.row_hash where id = r.id;
    prev := r.row_hash;
  end loop;
  if started then
    insert into audit_chain_heads (chain_id, seq, head_hash) values (coalesce(chain, '00000000-0000-0000-0000-000000000000'), n, prev);
  end if;
end $$;

revoke update on audit_log from current_user;
alter table audit_log force row level security;

alter table audit_log alter column seq set not null, alter column row_hash set not null;
create unique index audit_log_chain_idx on audit_log (tenant_id, seq) nulls not distinct;
-- The viewer's action filter and the skip scan that lists the actions a tenant's log holds.
create index audit_log_tenant_action_idx on audit_log (tenant_id, action);

-- One transaction at a time appends to a chain: a transaction-scoped advisory lock per chain, taken by the first row
-- it inserts there and held until it commits or rolls back. (Class 1635087725 is 'audi'; two chains whose ids hash
-- alike only queue behind each other.)
create function audit_chain_lock(chain uuid) returns void
  language sql
  as $$ select pg_advisory_xact_lock(1635087725, hashtext(chain::text)) $$;

-- Chains every inserted row, whoever inserts it (EF, the status batch's SQL, psql): under the chain's lock, the row
-- before it is the newest row of the chain inserted by this statement so far, else the chain's head (rows up to the
-- end of the last statement), else the purge anchor; the row gets the next number, that row's hash as prev_hash, and
-- its own hash. Whatever seq, prev_hash or row_hash the writer sent is overwritten. The head is written once per
-- statement (audit_log_chain_heads below): updating one row for every inserted row would make each update walk the
-- versions the statement left behind. A BEFORE INSERT trigger added later must run before this one (names sort
-- earlier). SECURITY DEFINER: the runtime role has no privileges on audit_chain_heads. Platform rows are visible
-- only on the platform path, which the lookup takes for a moment.
create function audit_log_chain() returns trigger
  language plpgsql security definer set search_path = public, pg_temp
  as $$
declare
  chain constant uuid := coalesce(new.tenant_id, '00000000-0000-0000-0000-000000000000');
  head audit_chain_heads;
  head_seq bigint;
  latest_seq bigint;
  latest_hash bytea;
  platform text;
begin
  perform audit_chain_lock(chain);
  select * into head from audit_chain_heads where chain_id = chain;
  head_seq := coalesce(head.seq, 0);
  if new.tenant_id is null then
    platform := current_setting('app.platform', true);
    perform set_config('app.platform', 'on', true);
    select a.seq, a.row_hash into latest_seq, latest_hash from audit_log a where a.tenant_id is null and a.seq > head_seq order by a.seq desc limit 1;
    perform set_config('app.platform', coalesce(platform, ''), true);
  else
    select a.seq, a.row_hash into latest_seq, latest_hash from audit_log a where a.tenant_id = new.tenant_id and a.seq > head_seq order by a.seq desc limit 1;
  end if;
  -- No row found leaves both null: the row before is then the head's.
  new.seq := coalesce(latest_seq, head_seq) + 1;
  new.prev_hash := case when latest_seq is null then head.head_hash else latest_hash end;
  new.row_hash := sha256(convert_to(audit_canonical(new), 'UTF8'));
  return new;
end $$;
create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain();

-- The chains' heads after each statement: its newest row per chain (still under the chains' locks).
create function audit_log_chain_heads() returns trigger
  language plpgsql security definer set search_path = public, pg_temp
  as $$
begin
  insert into audit_chain_heads as h (chain_id, seq, head_hash)
  select distinct on (n.chain) n.chain, n.seq, n.row_hash
  from (select coalesce(tenant_id, '00000000-0000-0000-0000-000000000000') as chain, seq, row_hash from new_rows) n
  order by n.chain, n.seq desc
  on conflict (chain_id) do update set seq = excluded.seq, head_hash = excluded.head_hash where excluded.seq > h.seq;
  return null;
end $$;
create trigger audit_log_chain_heads after insert on audit_log referencing new table as new_rows
  for each statement execute function audit_log_chain_heads();

-- The head and anchor of a chain the caller may read: its tenant's, or the platform's on the platform path.
create function audit_chain_head(p_tenant uuid)
  returns table (seq bigint, head_hash bytea, anchor_seq bigint, anchor_hash bytea)
  language sql stable security definer set search_path = public, pg_temp
  as $$
    select h.seq, h.head_hash, h.anchor_seq, h.anchor_hash
    from audit_chain_heads h
    where h.chain_id = coalesce(p_tenant, '00000000-0000-0000-0000-000000000000')
      and ((p_tenant is not null and p_tenant = app_current_tenant())
           or (p_tenant is null and current_setting('app.platform', true) = 'on'))
  $$;

-- Retention: a tenant keeps its audit rows for audit_retention_days (null: for ever). The minimum is a year.
alter table tenants add column audit_retention_days integer
  constraint tenants_audit_retention_days_check check (audit_retention_days between 365 and 36500);

-- Rows may be deleted only by the owner (the purge function below; the runtime role has no delete privilege) and only
-- rows of the tenant that is set, older than its retention. In a single-role installation the runtime role is the
-- owner, and this policy is what keeps it to expired rows.
grant delete on audit_log to current_user;
create policy audit_log_retention on audit_log for delete
  using (tenant_id = app_current_tenant()
         and occurred_at < now() - make_interval(days => (select t.audit_retention_days from tenants t where t.id = audit_log.tenant_id)));

-- Deletes the oldest rows of the current tenant's chain that are past its retention: the longest run from the start of
-- the chain whose rows all occurred before the cutoff (a prefix, so the chain stays contiguous). Records the anchor
-- (the last deleted seq and its row_hash) in the chain head, under the chain's lock, so verification starts from it.
-- Returns nothing when the tenant keeps its rows for ever; purged = 0 when nothing was due.
create function audit_purge_expired()
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
  select coalesce(min(a.seq) - 1, head.seq) into last_purged from audit_log a where a.tenant_id = t and a.occurred_at >= cutoff;
  if last_purged <= head.anchor_seq then
    purged := 0;
    through_seq := head.anchor_seq;
    return next;
    return;
  end if;
  select a.row_hash into last_hash from audit_log a where a.tenant_id = t and a.seq = last_purged;
  if not found then
    raise exception 'audit_purge_expired: row % of the audit chain of tenant % is missing; run switchboard audit verify', last_purged, t;
  end if;
  delete from audit_log a where a.tenant_id = t and a.seq > head.anchor_seq and a.seq <= last_purged;
  get diagnostics purged = row_count;
  update audit_chain_heads set anchor_seq = last_purged, anchor_hash = last_hash where chain_id = t;
  through_seq := last_purged;
  return next;
end $$;
