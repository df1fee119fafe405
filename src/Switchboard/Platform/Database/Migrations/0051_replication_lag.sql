-- Replication as /api/v1/status and the lag gauge report it (issue 15 §3, ADR 0069), corrected on a real primary and
-- standby under pg_auto_failover:
-- * A standby's lag was now() - the last replayed commit's time, which grows without bound while the primary is idle
--   although nothing is left to replay. A standby that has replayed all it received now reports 0.
-- * On the primary, pg_stat_replication shows a walsender's positions and lag only to roles with pg_read_all_stats
--   (docs/ADMIN.md "Replicated PostgreSQL and failover" grants it); without it the lag stays null (unknown), as before.
--   replay_lag is null once a caught-up standby has been idle a while, so a standby that replayed everything sent reports 0.
create or replace function observability_replication()
  returns table (in_recovery boolean, standbys integer, lag_seconds double precision)
  language sql stable security definer set search_path = public, pg_catalog, pg_temp
  as $$
    select pg_is_in_recovery(),
           case when pg_is_in_recovery() then null else (select count(*)::integer from pg_stat_replication) end,
           case when pg_is_in_recovery() then
                  case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
                       else extract(epoch from now() - pg_last_xact_replay_timestamp())::double precision end
                else (select max(case when r.replay_lsn is null then null when r.replay_lsn >= r.sent_lsn then 0
                                      else coalesce(extract(epoch from r.replay_lag)::double precision, 0) end)
                      from pg_stat_replication r) end
  $$;
