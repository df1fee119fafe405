# Shared by bench/failover/run.sh (the failover drill) and standby-reads.sh: a pg_auto_failover pair (cluster.sh) under a
# temp WORK directory with the app's database set up as the README's setup a) does it (one role owns the database; the
# standby receives all of it by replication), migrated by the app, with a superadmin. Source it after setting ROOT.
#   pair_start NAME EMAIL  sets WORK, MONITOR, NODE1, NODE2, PASSWORD (the superadmin's is "$PASSWORD-A1"), HOSTS (the
#                          multi-host string without Target Session Attributes) and exports ConnectionStrings__Switchboard
#                          (HOSTS, read-write); stops LOAD_PID, APP_PID and the formation on exit (KEEP=1 keeps WORK)
#   sql_on PORT [DB] SQL   psql as the superuser on one node
HERE="$ROOT/bench/failover"
DLL="$ROOT/src/Switchboard/bin/Release/net10.0/Switchboard.dll"
APP_PID=""; LOAD_PID=""

sql_on() { runuser -u postgres -- psql -X -q -At -h 127.0.0.1 -p "$1" -d "${2:-switchboard}" -v ON_ERROR_STOP=1 -c "$3"; }

pair_cleanup() {
  set +e
  [ -n "$LOAD_PID" ] && touch "$WORK/stop" && wait "$LOAD_PID" 2>/dev/null
  [ -n "$APP_PID" ] && kill -TERM "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  "$HERE/cluster.sh" stop "$WORK/cluster"
  [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}

pair_start() {
  WORK="$(mktemp -d "/tmp/switchboard-$1-XXXXXX")"; chmod 755 "$WORK"
  trap pair_cleanup EXIT
  command -v jq >/dev/null || { echo "$1: jq is needed (apt-get install jq)" >&2; exit 2; }
  dotnet build "$ROOT/src/Switchboard" -c Release -v q -clp:ErrorsOnly -nologo >/dev/null
  printf '== %s\n' "start monitor, primary and synchronous standby (pg_auto_failover)"
  mkdir -p "$WORK/cluster"
  "$HERE/cluster.sh" start "$WORK/cluster"
  . "$WORK/cluster/ports"
  PASSWORD="$1-$(openssl rand -hex 8)"
  sql_on "$NODE1" postgres "create role switchboard login nosuperuser nocreatedb nocreaterole nobypassrls password '$PASSWORD'"
  sql_on "$NODE1" postgres "create database switchboard owner switchboard"
  sql_on "$NODE1" postgres "grant pg_read_all_stats to switchboard"   # lets /api/v1/status show the standby's lag (ADMIN.md)
  sql_on "$NODE1" switchboard "create extension if not exists pg_trgm; alter function word_similarity_commutator_op(text, text) leakproof; alter function textlike(text, text) leakproof; alter function texticlike(text, text) leakproof"
  HOSTS="Host=127.0.0.1:$NODE1,127.0.0.1:$NODE2;Host Recheck Seconds=2;Database=switchboard;Username=switchboard;Password=$PASSWORD"
  export ConnectionStrings__Switchboard="$HOSTS;Target Session Attributes=read-write"
  printf '== %s\n' "migrate and create the superadmin"
  dotnet "$DLL" migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log"; exit 1; }
  dotnet "$DLL" create-superadmin --email "$2" --password "$PASSWORD-A1" >/dev/null
}
