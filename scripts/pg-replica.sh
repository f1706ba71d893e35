#!/usr/bin/env bash
# Two throwaway PostgreSQL clusters for the replica tests (issue 24, point 2): a primary on 127.0.0.1:55432 and a
# streaming replica of it (pg_basebackup -R) on 127.0.0.1:55433, in one temporary directory. Nothing of the
# system's own PostgreSQL server is used or changed.
#
#   scripts/pg-replica.sh start    initdb the primary, clone the replica, start both (a second start is a no-op)
#   scripts/pg-replica.sh stop     stop both and delete the directory
#   scripts/pg-replica.sh status   say whether each answers
#
# Environment: XIAOBAO_PG_BIN (default: the newest /usr/lib/postgresql/*/bin), XIAOBAO_PG_REPLICA_DIR (default
# /tmp/xiaobao-pg-replica), XIAOBAO_PG_PRIMARY_PORT (55432), XIAOBAO_PG_REPLICA_PORT (55433). initdb refuses root,
# so as root the clusters run as the `postgres` user.
set -euo pipefail

BIN="${XIAOBAO_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
DIR="${XIAOBAO_PG_REPLICA_DIR:-/tmp/xiaobao-pg-replica}"
PRIMARY_PORT="${XIAOBAO_PG_PRIMARY_PORT:-55432}"
REPLICA_PORT="${XIAOBAO_PG_REPLICA_PORT:-55433}"

if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ] || [ ! -x "$BIN/pg_basebackup" ]; then
  echo "pg-replica: PostgreSQL server binaries not found (set XIAOBAO_PG_BIN)" >&2
  exit 3
fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

answers() {  # port
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$1"
}

start() {
  if answers "$PRIMARY_PORT" && answers "$REPLICA_PORT"; then
    echo "pg-replica: already running (primary :$PRIMARY_PORT, replica :$REPLICA_PORT)"
    return 0
  fi
  if answers "$PRIMARY_PORT" || answers "$REPLICA_PORT"; then
    echo "pg-replica: port $PRIMARY_PORT or $REPLICA_PORT is taken by something else" >&2
    exit 1
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  chmod 700 "$DIR"
  # trust for local connections and for replication from 127.0.0.1 (initdb's default pg_hba.conf has both).
  as_pg "$BIN/initdb" -D "$DIR/primary" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log"
  cat >>"$DIR/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
max_connections = 60
shared_buffers = 64MB
# A test cluster: speed over durability.
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
CONF
  as_pg "$BIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w -t 60 start >/dev/null
  as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/replica" -R -X stream \
    --checkpoint=fast --no-sync
  cat >>"$DIR/replica/postgresql.conf" <<CONF
port = $REPLICA_PORT
hot_standby = on
# The tests' flushes and DROP DATABASE replay at once instead of waiting 30 s for a reader on the replica.
max_standby_streaming_delay = 1s
CONF
  as_pg "$BIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w -t 60 start >/dev/null
  echo "pg-replica: primary 127.0.0.1:$PRIMARY_PORT, replica 127.0.0.1:$REPLICA_PORT (streaming), in $DIR"
}

stop() {
  for node in replica primary; do
    if [ -f "$DIR/$node/postmaster.pid" ]; then
      as_pg "$BIN/pg_ctl" -D "$DIR/$node" -m immediate -w -t 60 stop >/dev/null || true
    fi
  done
  rm -rf "$DIR"
  echo "pg-replica: stopped"
}

status() {
  for pair in "primary:$PRIMARY_PORT" "replica:$REPLICA_PORT"; do
    if answers "${pair#*:}"; then echo "${pair%%:*} :${pair#*:} answers"; else echo "${pair%%:*} :${pair#*:} down"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
