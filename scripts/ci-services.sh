#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432, user postgres, trust) and Redis
# (127.0.0.1:6379) answer, starting them if they are installed but stopped, and
# installing them (root only) on a machine that has neither. Used by .ci/run.
set -euo pipefail

log() { echo "ci-services: $*" >&2; }

export DEBIAN_FRONTEND=noninteractive
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    log "missing $*; install with: sudo apt-get update && sudo apt-get install -y $*"
    exit 1
  fi
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >/dev/null
}

postgres_answers() {
  pg_isready -q -h 127.0.0.1 -p 5432 -U postgres -d postgres >/dev/null 2>&1 \
    && psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc "select 1" >/dev/null 2>&1
}

redis_answers() {
  [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]
}

wait_for() {
  local name="$1" check="$2"
  for _ in $(seq 1 60); do
    if "$check"; then
      log "$name answers"
      return 0
    fi
    sleep 1
  done
  log "$name did not answer within 60 s"
  return 1
}

# PostgreSQL
if ! postgres_answers; then
  fresh_install=0
  if [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    log "installing PostgreSQL"
    apt_install postgresql postgresql-client
    fresh_install=1
  fi
  version="$(ls /etc/postgresql | head -n1)"
  if [ "$fresh_install" -eq 1 ]; then
    # A fresh Debian cluster asks for passwords over TCP; CI connects as postgres
    # without one, like the project's machines (trust on loopback only).
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    { printf 'host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n'; cat "$hba"; } >"$hba.new"
    mv "$hba.new" "$hba"
    chown postgres:postgres "$hba"
  fi
  log "starting PostgreSQL $version"
  # Exits non-zero when the package's own scripts already started it.
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  if [ "$fresh_install" -eq 1 ]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
  fi
fi
wait_for PostgreSQL postgres_answers

# Redis
if ! redis_answers; then
  if ! command -v redis-server >/dev/null 2>&1; then
    log "installing Redis"
    apt_install redis-server redis-tools
  fi
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
wait_for Redis redis_answers
