#!/usr/bin/env bash
# Point-in-time recovery drill (ADR 0064, docs/ADMIN.md "Point-in-time recovery"): a scratch PostgreSQL cluster with
# WAL archiving, a base backup (pg_basebackup), rows A, the time T, rows B, then a copy of the base backup recovered to
# T from the archive (restore_command + recovery_target_time). Passes when every row of A and none of B is there.
# Prints the numbers; exit code 1 when recovery got it wrong. Runs as root (PostgreSQL as the postgres OS user) or as
# postgres. Usage: bench/pitr/run.sh [ROWS]   (default 10000 rows per batch)
set -euo pipefail

ROWS="${1:-10000}"
BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r | head -1)}"
[ -x "$BIN/initdb" ] || { echo "pitr: PostgreSQL server binaries not found (apt-get install postgresql-15)" >&2; exit 2; }

WORK="$(mktemp -d /tmp/switchboard-pitr-XXXXXX)"
chmod 755 "$WORK"
as_pg() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }
[ "$(id -un)" = postgres ] || chown postgres:postgres "$WORK"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PRIMARY_PORT="$(free_port)"
RESTORED_PORT="$(free_port)"

cleanup() {
  as_pg "$BIN/pg_ctl" -D "$WORK/restored" -m immediate stop >/dev/null 2>&1 || true
  as_pg "$BIN/pg_ctl" -D "$WORK/primary" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

psql_at() { as_pg "$BIN/psql" -X -q -At -h "$WORK" -p "$1" -d postgres -v ON_ERROR_STOP=1 -c "$2"; }
now_ms() { date +%s%3N; }
started="$(now_ms)"

as_pg mkdir -p "$WORK/archive"
as_pg "$BIN/initdb" -D "$WORK/primary" -A trust -U postgres >/dev/null
cat >> "$WORK/primary/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$WORK'
port = $PRIMARY_PORT
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $WORK/archive/%f && cp %p $WORK/archive/%f'
fsync = off
CONF
as_pg "$BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w start >/dev/null

psql_at "$PRIMARY_PORT" "create table pitr (id bigint primary key, batch text not null, written_at timestamptz not null default clock_timestamp())"
t0="$(now_ms)"
as_pg "$BIN/pg_basebackup" -h "$WORK" -p "$PRIMARY_PORT" -U postgres -D "$WORK/base" -X stream -c fast
base_ms=$(( $(now_ms) - t0 ))

psql_at "$PRIMARY_PORT" "insert into pitr (id, batch) select g, 'A' from generate_series(1, $ROWS) g"
# T: after A committed; B commits strictly later (one second apart, so the target is unambiguous).
psql_at "$PRIMARY_PORT" "select pg_sleep(1)" >/dev/null
TARGET="$(psql_at "$PRIMARY_PORT" "select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")"
psql_at "$PRIMARY_PORT" "select pg_sleep(1)" >/dev/null
psql_at "$PRIMARY_PORT" "insert into pitr (id, batch) select g, 'B' from generate_series($ROWS + 1, 2 * $ROWS) g"
SEGMENT="$(psql_at "$PRIMARY_PORT" "select pg_walfile_name(pg_switch_wal())")"
for _ in $(seq 1 600); do
  [ -f "$WORK/archive/$SEGMENT" ] && break
  sleep 0.1
done
[ -f "$WORK/archive/$SEGMENT" ] || { echo "pitr: WAL segment $SEGMENT was not archived" >&2; exit 1; }
primary_a="$(psql_at "$PRIMARY_PORT" "select count(*) from pitr where batch = 'A'")"
primary_b="$(psql_at "$PRIMARY_PORT" "select count(*) from pitr where batch = 'B'")"
archived="$(ls "$WORK/archive" | wc -l)"
as_pg "$BIN/pg_ctl" -D "$WORK/primary" -m fast -w stop >/dev/null   # the primary is lost: only the base backup and the archive remain

t0="$(now_ms)"
as_pg cp -a "$WORK/base" "$WORK/restored"
cat >> "$WORK/restored/postgresql.conf" <<CONF
port = $RESTORED_PORT
archive_mode = off
restore_command = 'cp $WORK/archive/%f %p'
recovery_target_time = '$TARGET'
recovery_target_action = 'promote'
CONF
as_pg touch "$WORK/restored/recovery.signal"
as_pg "$BIN/pg_ctl" -D "$WORK/restored" -l "$WORK/restored.log" -w -t 120 start >/dev/null
for _ in $(seq 1 1200); do
  [ "$(psql_at "$RESTORED_PORT" "select pg_is_in_recovery()" 2>/dev/null || echo t)" = f ] && break
  sleep 0.1
done
recover_ms=$(( $(now_ms) - t0 ))
restored_a="$(psql_at "$RESTORED_PORT" "select count(*) from pitr where batch = 'A'")"
restored_b="$(psql_at "$RESTORED_PORT" "select count(*) from pitr where batch = 'B'")"
latest="$(psql_at "$RESTORED_PORT" "select coalesce(to_char(max(written_at) at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), '-') from pitr")"
stopped_at="$(grep -o 'recovery stopping before commit of transaction [0-9]*, time [^\"]*' "$WORK/restored.log" | head -1 || true)"

echo "PITR drill on PostgreSQL $("$BIN/postgres" --version | awk '{print $3}'), $ROWS rows per batch"
echo "  primary before the loss : A=$primary_a B=$primary_b, $archived WAL files archived"
echo "  recovery target time T : $TARGET"
echo "  restored copy          : A=$restored_a B=$restored_b (latest row written $latest UTC)"
echo "  ${stopped_at:-recovery stop point not found in the log}"
echo "  base backup ${base_ms} ms, recovery to T ${recover_ms} ms, whole drill $(( $(now_ms) - started )) ms"
if [ "$restored_a" = "$ROWS" ] && [ "$restored_b" = 0 ]; then
  echo "PASS: every row written before T is back, none written after it"
else
  echo "FAIL: expected A=$ROWS B=0 after recovery to T"; exit 1
fi
