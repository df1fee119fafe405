#!/usr/bin/env bash
# A pg_auto_failover formation on loopback (ADR 0069): a monitor, a primary and a synchronous standby, each node a
# pg_autoctl keeper in its own process group (setsid) so "the node's machine dies" is one kill of that group.
# Used by bench/failover/run.sh and by the failover test. PostgreSQL and pg_autoctl refuse root: as root they run as
# the postgres OS user. Everything lives under DIR; ports are chosen free at start and written to DIR/ports.
#
#   cluster.sh start DIR        monitor + node1 (primary) + node2 (secondary, synchronous); waits until both replicate
#   cluster.sh primary DIR      prints the node name (node1/node2) the monitor has as primary; nothing if none
#   cluster.sh kill-postmaster DIR NODE   SIGKILL of NODE's postmaster only (its keeper is left running)
#   cluster.sh kill-node DIR NODE         SIGKILL of NODE's whole process group: keeper, postgres, everything
#   cluster.sh state DIR        pg_autoctl show state
#   cluster.sh stop DIR         stops everything and removes DIR
set -euo pipefail

BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r | head -1)}"
command -v pg_autoctl >/dev/null || { echo "pg_autoctl not found: apt-get install postgresql-15-auto-failover" >&2; exit 2; }
as_pg() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

cmd="$1"; DIR="$2"
# pg_autoctl keeps its configuration and state under XDG_* directories: inside DIR, so nothing leaks into ~postgres.
autoctl() { as_pg env PATH="$BIN:$PATH" PG_CONFIG="$BIN/pg_config" XDG_CONFIG_HOME="$DIR/xdg/config" XDG_DATA_HOME="$DIR/xdg/data" XDG_RUNTIME_DIR="$DIR/xdg/run" pg_autoctl "$@"; }
psql_at() { as_pg "$BIN/psql" -X -q -At -h 127.0.0.1 -p "$1" -U "${3:-postgres}" -d "${4:-postgres}" -v ON_ERROR_STOP=1 -c "$2"; }
ports() { . "$DIR/ports"; }

# run_node NAME ARGS...: a pg_autoctl service, in a new session so the node is one process group.
run_node() {
  local name="$1"; shift
  setsid bash -c "$(declare -f as_pg autoctl); DIR='$DIR' BIN='$BIN' autoctl \"\$@\"" autoctl "$@" >"$DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$DIR/$name.pgid"
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local until=$((SECONDS + $1)) what="$2"; shift 2
  while [ "$SECONDS" -lt "$until" ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "cluster: timed out waiting for $what" >&2; return 1
}

case "$cmd" in
start)
  mkdir -p "$DIR/xdg/config" "$DIR/xdg/data" "$DIR/xdg/run"; chmod 755 "$DIR"; chmod 700 "$DIR/xdg/run"
  [ "$(id -un)" = postgres ] || chown -R postgres:postgres "$DIR"
  printf 'MONITOR=%s\nNODE1=%s\nNODE2=%s\n' "$(free_port)" "$(free_port)" "$(free_port)" > "$DIR/ports"
  ports
  autoctl create monitor --pgdata "$DIR/monitor" --pgport "$MONITOR" --hostname 127.0.0.1 --auth trust --no-ssl >"$DIR/monitor-create.log" 2>&1
  # Failure detection and promotion tuned for a drill on one machine (defaults: checks every 5 s, unhealthy after
  # 20 s, 30 s demote timeout, about a minute in all). Loopback never partitions, so short timeouts are safe here.
  cat >> "$DIR/monitor/postgresql.conf" <<CONF
pgautofailover.health_check_period = 1000
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 1
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = 3000
pgautofailover.primary_demote_timeout = 5000
CONF
  autoctl config set --pgdata "$DIR/monitor" postgresql.listen_addresses 127.0.0.1 >/dev/null
  run_node monitor run --pgdata "$DIR/monitor"
  wait_for 60 "monitor" psql_at "$MONITOR" "select 1" autoctl_node pg_auto_failover
  URI="postgres://autoctl_node@127.0.0.1:$MONITOR/pg_auto_failover?sslmode=disable"
  for n in 1 2; do
    port_var="NODE$n"
    run_node "node$n" create postgres --pgdata "$DIR/node$n" --pgport "${!port_var}" --hostname 127.0.0.1 --listen 127.0.0.1 \
      --name "node$n" --monitor "$URI" --auth trust --no-ssl --pgctl "$BIN/pg_ctl" --run
    # node2 must clone a running primary: wait for node1 first.
    wait_for 120 "node$n" sh -c "grep -q . '$DIR/node$n/postmaster.pid' 2>/dev/null"
    [ "$n" = 1 ] && wait_for 120 "node1 primary" sh -c "[ -n \"\$('$0' primary '$DIR')\" ]"
  done
  wait_for 180 "synchronous standby" sh -c "[ \"\$('$0' state '$DIR' | tr '\n' ' ')\" = 'node1|primary|primary node2|secondary|secondary ' ]"
  ;;
primary)
  ports
  out=$(psql_at "$MONITOR" "select nodename from pgautofailover.node where reportedstate = goalstate and goalstate in ('single', 'wait_primary', 'primary')" autoctl_node pg_auto_failover)
  echo "$out"   # empty while there is none (during a failover)
  ;;
kill-postmaster)
  kill -KILL "$(head -1 "$DIR/$3/postmaster.pid")"
  ;;
kill-node)
  kill -KILL -- "-$(cat "$DIR/$3.pgid")" 2>/dev/null || true
  ;;
state)
  ports
  psql_at "$MONITOR" "select nodename, reportedstate, goalstate from pgautofailover.node order by nodeid" autoctl_node pg_auto_failover
  ;;
stop)
  for name in node2 node1 monitor; do [ -f "$DIR/$name.pgid" ] && kill -KILL -- "-$(cat "$DIR/$name.pgid")" 2>/dev/null || true; done
  sleep 0.5
  for name in node2 node1 monitor; do [ -f "$DIR/$name/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DIR/$name" -m immediate stop >/dev/null 2>&1 || true; done
  # A PostgreSQL child in its own process group but still in the node's session (a monitor's logger was seen to outlive
  # the rest): everything left in each node's session goes too.
  for name in node2 node1 monitor; do [ -f "$DIR/$name.pgid" ] && pkill -KILL -s "$(cat "$DIR/$name.pgid")" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$DIR"
  ;;
*) echo "usage: cluster.sh start|primary|kill-postmaster|kill-node|state|stop DIR [NODE]" >&2; exit 2 ;;
esac
