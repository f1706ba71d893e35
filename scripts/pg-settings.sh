#!/usr/bin/env bash
# Install deploy/postgresql.conf as a drop-in of the local PostgreSQL cluster and restart it (Debian layout).
# Usage: sudo bash scripts/pg-settings.sh [shared_buffers, default 25 % of RAM]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
version="$(ls /etc/postgresql | sort -V | tail -1)"
target="/etc/postgresql/${version}/main/conf.d/xiaobao.conf"
ram_mb=$(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo)
shared="${1:-$((ram_mb / 4))MB}"
cache="$((ram_mb * 3 / 4))MB"
sed -e "s/^shared_buffers = .*/shared_buffers = ${shared}/" \
    -e "s/^effective_cache_size = .*/effective_cache_size = ${cache}/" \
    "$here/deploy/postgresql.conf" > "$target"
echo "wrote $target (shared_buffers ${shared}, effective_cache_size ${cache})"
if command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster "$version" main restart
else
  service postgresql restart
fi
psql -h 127.0.0.1 -U postgres -Atc "SHOW shared_buffers" | sed 's/^/shared_buffers now: /'
