#!/usr/bin/env bash
# Starts, stops and reports the local PostgreSQL cluster and memcached that `make run`
# and `make test` use. Everything lives under ./var; PostgreSQL's data and socket live in
# a folder the `postgres` user can enter (linked as var/pg), because the checkout itself
# may sit under a folder that user cannot reach.
#
#   scripts/services.sh start|stop|status|restart-pg|stop-pg|start-pg|env
#
# Ports: AGORA_PG_PORT and AGORA_MC_PORT; by default a pair in 29000-29999 chosen by the
# checkout path (`scripts/services.sh status` prints them).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
var="$root/var"
# One cluster per checkout: its folder and its ports derive from a hash of the checkout
# path, so two checkouts (a developer's and CI's clone) never collide.
hash=$(printf '%s' "$root" | md5sum | cut -c1-10)
slot=$(( 16#${hash:0:4} % 500 ))
# Below the kernel's ephemeral range (32768-60999): a port there can be taken by any
# outgoing connection while PostgreSQL restarts, and the restart then fails to bind.
pg_port=${AGORA_PG_PORT:-$(( 29000 + 2 * slot ))}
mc_port=${AGORA_MC_PORT:-$(( 29001 + 2 * slot ))}
smtp_port=${AGORA_SMTP_PORT:-$(( 30000 + slot ))}
pg_bin=/usr/lib/postgresql/15/bin
pg_home="/var/tmp/agora-pg-$hash"
pg_data="$pg_home/data"
pg_sock="$pg_home/sock"
mc_pidfile="$var/memcached.pid"

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_running() { as_pg "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; }

psql_admin() {
  as_pg "$pg_bin/../bin/psql" -h "$pg_sock" -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

start_pg() {
  mkdir -p "$var"
  if [ ! -d "$pg_data" ]; then
    mkdir -p "$pg_home"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pg_home"
    as_pg mkdir -p "$pg_sock"
    as_pg "$pg_bin/initdb" -D "$pg_data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$var/initdb.log" 2>&1 ||
      { cat "$var/initdb.log" >&2; exit 1; }
  fi
  ln -sfn "$pg_home" "$var/pg"
  # A local development cluster: durability traded for speed, in postgresql.conf (not on the
  # command line) so that `durable on` can override it with ALTER SYSTEM for the benchmarks.
  if ! as_pg grep -q "^# agora settings" "$pg_data/postgresql.conf"; then
    as_pg tee -a "$pg_data/postgresql.conf" >/dev/null <<'CONF'
# agora settings
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_preload_libraries = 'pg_stat_statements'
CONF
    pg_running && as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
  fi
  if ! pg_running; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_home/postgresql.log" -w -t 60 \
      -o "-p $pg_port -k $pg_sock -c listen_addresses=127.0.0.1" start >/dev/null
  fi
  if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'agora'")" != "1" ]; then
    psql_admin -c "CREATE ROLE agora LOGIN CREATEDB"
  fi
  if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'agora'")" != "1" ]; then
    psql_admin -c "CREATE DATABASE agora OWNER agora"
  fi
}

stop_pg() {
  if [ -d "$pg_data" ] && pg_running; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
  fi
}

mc_running() { [ -f "$mc_pidfile" ] && kill -0 "$(cat "$mc_pidfile")" 2>/dev/null; }

start_mc() {
  mkdir -p "$var"
  if ! mc_running; then
    local user_opt=()
    [ "$(id -u)" -eq 0 ] && user_opt=(-u nobody)
    setsid memcached -l 127.0.0.1 -p "$mc_port" -U 0 -m 64 "${user_opt[@]}" >"$var/memcached.log" 2>&1 < /dev/null &
    echo $! >"$mc_pidfile"
    for _ in $(seq 50); do
      (exec 3<>/dev/tcp/127.0.0.1/"$mc_port") 2>/dev/null && break
      sleep 0.1
    done
  fi
}

stop_mc() {
  if mc_running; then
    kill "$(cat "$mc_pidfile")" && rm -f "$mc_pidfile"
  fi
}

# The SMTP sink: Debian's aiosmtpd, storing every message it receives in the Maildir
# var/mail (new messages in var/mail/new/). Tests read sign-in codes from there.
smtp_pidfile() { echo "$var/smtp.pid"; }
smtp_running() { [ -f "$(smtp_pidfile)" ] && kill -0 "$(cat "$(smtp_pidfile)")" 2>/dev/null; }

start_smtp() {
  mkdir -p "$var/mail/tmp" "$var/mail/new" "$var/mail/cur"
  if ! smtp_running; then
    setsid /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$var/mail" \
      >"$var/smtp.log" 2>&1 < /dev/null &
    echo $! >"$(smtp_pidfile)"
    for _ in $(seq 100); do
      (exec 3<>/dev/tcp/127.0.0.1/"$smtp_port") 2>/dev/null && break
      sleep 0.1
    done
  fi
}

stop_smtp() {
  if smtp_running; then
    kill "$(cat "$(smtp_pidfile)")" && rm -f "$(smtp_pidfile)"
  fi
}

write_config() {
  # The config `make run` serves with: the documented defaults plus the local services.
  sed -e "s|^url = .*|url = \"postgresql://agora@127.0.0.1:$pg_port/agora\"|" \
      -e "s|^backend = .*|backend = \"memcached\"|" \
      -e "s|^servers = .*|servers = [\"127.0.0.1:$mc_port\"]|" \
      -e "s|^smtp_url = .*|smtp_url = \"smtp://127.0.0.1:$smtp_port\"|" \
      "$root/config/agora.toml" >"$var/agora.toml"
}

case "${1:-}" in
  start) start_pg; start_mc; start_smtp; write_config ;;
  stop) stop_smtp; stop_mc; stop_pg ;;
  start-pg) start_pg ;;
  stop-pg) stop_pg ;;
  restart-pg) stop_pg; start_pg ;;
  start-mc) start_mc ;;
  stop-mc) stop_mc ;;
  status)
    pg_running && echo "postgresql: running on 127.0.0.1:$pg_port ($pg_data)" || echo "postgresql: stopped"
    mc_running && echo "memcached: running on 127.0.0.1:$mc_port" || echo "memcached: stopped"
    smtp_running && echo "smtp sink: running on 127.0.0.1:$smtp_port (mail in $var/mail/new)" || echo "smtp sink: stopped"
    ;;
  env)
    echo "AGORA_TEST_PG_URL=postgresql://agora@127.0.0.1:$pg_port"
    echo "AGORA_TEST_MEMCACHED=127.0.0.1:$mc_port"
    echo "AGORA_TEST_SMTP=smtp://127.0.0.1:$smtp_port"
    echo "AGORA_TEST_MAILDIR=$var/mail"
    echo "AGORA_SERVICES=$root/scripts/services.sh"
    ;;
  start-smtp) start_smtp ;;
  stop-smtp) stop_smtp ;;
  # Benchmarks: real durability (fsync, synchronous commit) while measuring, then back.
  durable)
    case "${2:-}" in
      on) psql_admin -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
            -c "ALTER SYSTEM SET full_page_writes = on" -c "SELECT pg_reload_conf()" >/dev/null ;;
      off) psql_admin -c "ALTER SYSTEM RESET fsync" -c "ALTER SYSTEM RESET synchronous_commit" \
             -c "ALTER SYSTEM RESET full_page_writes" -c "SELECT pg_reload_conf()" >/dev/null ;;
      *) echo "usage: $0 durable on|off" >&2; exit 2 ;;
    esac ;;
  # Benchmarks: pg_stat_statements in a database (needs the superuser).
  stat-statements)
    as_pg "$pg_bin/../bin/psql" -h "$pg_sock" -p "$pg_port" -U postgres -d "${2:?database}" -v ON_ERROR_STOP=1 -qAt \
      -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "GRANT pg_read_all_stats TO agora" >/dev/null ;;
  *) echo "usage: $0 start|stop|status|restart-pg|start-pg|stop-pg|start-mc|stop-mc|start-smtp|stop-smtp|env|durable on|off|stat-statements DB" >&2; exit 2 ;;
esac
