-- Outbound webhooks (issue 14 §4, ADR 0055): a tenant's subscriptions, the event outbox written in the transaction of
-- the change, one delivery row per attempt, and the dispatcher's per-subscription work queue.

-- A subscription: where to send, which event types ('*' for all), an optional filter on the fields an update changed,
-- the signing secret (and the previous one for 24 hours after a rotation), both encrypted with the data-protection
-- keys. cursor_xact/cursor_seq: the last event the dispatcher fanned out to it (see webhook_events).
create table webhook_subscriptions (
  tenant_id                   uuid not null references tenants (id),
  id                          uuid not null,
  url                         text not null check (length(url) <= 2000),
  description                 text check (length(description) <= 500),
  events                      text[] not null,
  changed_fields              text[],
  enabled                     boolean not null default true,
  secret                      text not null,
  previous_secret             text,
  previous_secret_expires_at  timestamptz,
  disabled_reason             text check (length(disabled_reason) <= 500),
  failing_since               timestamptz,
  cursor_xact                 bigint not null default 0,
  cursor_seq                  bigint not null default 0,
  created_by                  uuid,
  created_at                  timestamptz not null,
  updated_at                  timestamptz not null,
  version                     integer not null default 1,
  primary key (tenant_id, id)
);
select app_enable_tenant_rls('webhook_subscriptions');

-- The outbox: one row per event, inserted by the change's own SaveChanges. body is the exact JSON sent (text, not
-- jsonb, so every attempt sends the same bytes). xact is the writing transaction's id: the dispatcher fans out only
-- events of transactions older than every transaction still running (pg_snapshot_xmin), so an event that commits
-- late can never fall behind a subscription's cursor. Order = (xact, seq).
create table webhook_events (
  tenant_id    uuid not null references tenants (id),
  id           uuid not null,
  seq          bigint generated always as identity,
  xact         bigint not null default (pg_current_xact_id()::text::bigint),
  type         text not null check (length(type) <= 100),
  created_at   timestamptz not null,
  changed      text[],
  body         text not null,
  primary key (tenant_id, id)
);
create index webhook_events_order_idx on webhook_events (tenant_id, xact, seq);
create index webhook_events_created_idx on webhook_events (tenant_id, created_at);
select app_enable_tenant_rls('webhook_events');

-- One row per attempt. 'pending' is the next attempt (due at next_attempt_at); an attempt ends 'delivered' or 'failed'
-- (a failed attempt with a retry left has a pending row after it). A subscription's pending rows go out in event order.
create table webhook_deliveries (
  tenant_id        uuid not null,
  id               uuid not null,
  subscription_id  uuid not null,
  event_id         uuid not null,
  event_xact       bigint not null,
  event_seq        bigint not null,
  attempt          integer not null check (attempt >= 1),
  status           text not null check (status in ('pending', 'delivered', 'failed')),
  created_at       timestamptz not null,
  next_attempt_at  timestamptz,
  attempted_at     timestamptz,
  request_headers  jsonb,
  response_status  integer,
  response_body    text check (length(response_body) <= 1024),
  error            text check (length(error) <= 1000),
  duration_ms      integer,
  primary key (tenant_id, id),
  foreign key (tenant_id, subscription_id) references webhook_subscriptions (tenant_id, id) on delete cascade,
  foreign key (tenant_id, event_id) references webhook_events (tenant_id, id) on delete cascade
);
create index webhook_deliveries_pending_idx on webhook_deliveries (tenant_id, subscription_id, event_xact, event_seq) where status = 'pending';
create index webhook_deliveries_log_idx on webhook_deliveries (tenant_id, subscription_id, created_at desc);
create index webhook_deliveries_event_idx on webhook_deliveries (tenant_id, event_id);
select app_enable_tenant_rls('webhook_deliveries');

-- The dispatcher's work queue (a platform table, like jobs): one row per enabled subscription, claimed across tenants
-- with FOR UPDATE SKIP LOCKED and a lease; the claimer then enters the subscription's tenant to do the work under
-- the policies above. Holds ids and times only. Kept by a trigger on webhook_subscriptions.
create table webhook_queue (
  subscription_id  uuid primary key,
  tenant_id        uuid not null,
  due_at           timestamptz not null,
  locked_by        text,
  locked_until     timestamptz,
  -- Set by a wake-up (new events) that came while the row was claimed: the claimer's release then keeps it due.
  woken            boolean not null default false
);
create index webhook_queue_due_idx on webhook_queue (due_at);

create function webhook_queue_keep() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' or not new.enabled then
    delete from webhook_queue where subscription_id = coalesce(new.id, old.id);
  elsif tg_op = 'INSERT' or not old.enabled then
    insert into webhook_queue (subscription_id, tenant_id, due_at) values (new.id, new.tenant_id, now())
    on conflict (subscription_id) do update set due_at = now();
  end if;
  return null;
end $$;
create trigger webhook_queue_keep after insert or delete or update of enabled on webhook_subscriptions
  for each row execute function webhook_queue_keep();

-- New events wake the dispatchers of every instance (sent at commit; dropped on rollback), one NOTIFY per tenant
-- and statement. The payload is the tenant id: only that tenant's subscriptions are made due.
create function webhook_events_notify() returns trigger language plpgsql as $$
declare t uuid;
begin
  for t in select distinct tenant_id from added loop
    perform pg_notify('switchboard_webhooks', t::text);
  end loop;
  return null;
end $$;
create trigger webhook_events_notify after insert on webhook_events
  referencing new table as added for each statement execute function webhook_events_notify();

-- Keeps 30 days: delivery rows that are no longer pending, and events no pending delivery needs. Runs per tenant
-- (entering each tenant, as the policies require) so events of tenants without subscriptions are pruned too.
create function webhook_prune(cutoff timestamptz) returns bigint
  language plpgsql security definer set search_path = public, pg_temp as $$
declare
  t uuid;
  n bigint := 0;
  d bigint;
  saved text := current_setting('app.tenant_id', true);
begin
  for t in select id from tenants loop
    perform set_config('app.tenant_id', t::text, true);
    delete from webhook_deliveries where tenant_id = t and created_at < cutoff and status <> 'pending';
    get diagnostics d = row_count; n := n + d;
    delete from webhook_events e where e.tenant_id = t and e.created_at < cutoff
      and not exists (select from webhook_deliveries w where w.tenant_id = t and w.event_id = e.id and w.status = 'pending');
    get diagnostics d = row_count; n := n + d;
  end loop;
  perform set_config('app.tenant_id', coalesce(saved, ''), true);
  return n;
end $$;
do $$
begin
  if exists (select from pg_roles where rolname = 'switchboard_runtime') then
    execute 'grant execute on function webhook_prune(timestamptz) to switchboard_runtime';
  end if;
end $$;
