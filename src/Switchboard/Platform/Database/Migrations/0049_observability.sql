-- Observability (issue 15 §5, ADR 0063): the instances that heartbeat, and the cross-tenant counts behind the metrics'
-- backlog gauges and /api/v1/status.

-- One row per running app process, upserted every Observability:HeartbeatSeconds; /api/v1/status lists those seen in
-- the last minute. A platform table (no tenant): it names hosts and processes, nothing of any tenant.
create table app_instances (
  id          uuid primary key,
  host        text not null check (length(host) <= 255),
  pid         integer not null,
  version     text not null check (length(version) <= 200),
  started_at  timestamptz not null,
  seen_at     timestamptz not null
);
create index app_instances_seen_idx on app_instances (seen_at desc);

-- The backlog is counted across tenants by the schema owner, to whom FORCE ROW LEVEL SECURITY applies too: these
-- policies let only that role, and only while observability_backlog() has set app.observability_scan, see every
-- tenant's rows. The function returns counts and ages per queue, nothing of the rows themselves.
create policy webhook_deliveries_observability on webhook_deliveries for select to current_user
  using (current_setting('app.observability_scan', true) = 'on');
create policy outreach_emails_observability on outreach_emails for select to current_user
  using (current_setting('app.observability_scan', true) = 'on');
create policy outbound_emails_observability on outbound_emails for select to current_user
  using (current_setting('app.observability_scan', true) = 'on');
create policy calls_observability on calls for select to current_user
  using (current_setting('app.observability_scan', true) = 'on');
create index outbound_emails_queued_idx on outbound_emails (created_at) where status = 'queued';

-- queue: 'job' (kind = the job's kind), 'webhook', 'email' (platform mail), 'outreach' (tenant mail), 'calls' (live
-- calls; kind = their status). depth: rows waiting (jobs and outreach include those scheduled later); due: those whose
-- time has come; oldest_due_at: when the longest-waiting due row became due (null when none is due).
create function observability_backlog(p_now timestamptz)
  returns table (queue text, kind text, depth bigint, due bigint, oldest_due_at timestamptz)
  language plpgsql security definer set search_path = public, pg_temp
  as $$
begin
  perform set_config('app.observability_scan', 'on', true);
  return query
    select 'job', j.kind, count(*), count(*) filter (where j.run_at <= p_now), min(j.run_at) filter (where j.run_at <= p_now)
      from jobs j where j.completed_at is null and j.failed_at is null group by j.kind
    union all
    select 'webhook', '', count(*), count(*) filter (where coalesce(w.next_attempt_at, w.created_at) <= p_now),
           min(coalesce(w.next_attempt_at, w.created_at)) filter (where coalesce(w.next_attempt_at, w.created_at) <= p_now)
      from webhook_deliveries w where w.status = 'pending'
    union all
    select 'email', '', count(*), count(*), min(e.created_at) from outbound_emails e where e.status = 'queued'
    union all
    select 'outreach', '', count(*), count(*) filter (where o.not_before <= p_now), min(o.not_before) filter (where o.not_before <= p_now)
      from outreach_emails o where o.status in ('queued', 'sending')
    union all
    select 'calls', c.status, count(*), count(*), null::timestamptz
      from calls c where c.status in ('queued', 'initiated', 'ringing', 'in-progress') group by c.status;
  perform set_config('app.observability_scan', '', true);
end $$;
revoke execute on function observability_backlog(timestamptz) from public;

-- Replication as this server sees it: on a standby, how far its replay is behind (seconds since the last replayed
-- transaction's commit); on a primary, its standbys and the largest replay lag they report. pg_stat_replication shows
-- the lag columns only to privileged roles: when the schema owner is not one, the lag reads null.
create function observability_replication()
  returns table (in_recovery boolean, standbys integer, lag_seconds double precision)
  language sql stable security definer set search_path = public, pg_catalog, pg_temp
  as $$
    select pg_is_in_recovery(),
           case when pg_is_in_recovery() then null else (select count(*)::integer from pg_stat_replication) end,
           case when pg_is_in_recovery() then extract(epoch from now() - pg_last_xact_replay_timestamp())::double precision
                else (select extract(epoch from max(r.replay_lag))::double precision from pg_stat_replication r) end
  $$;
revoke execute on function observability_replication() from public;

do $$
begin
  if exists (select from pg_roles where rolname = 'switchboard_runtime') then
    execute 'grant execute on function observability_backlog(timestamptz) to switchboard_runtime';
    execute 'grant execute on function observability_replication() to switchboard_runtime';
  end if;
end $$;
