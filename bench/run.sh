#!/usr/bin/env bash
# Throughput and latency of the running server, measured with wrk over loopback, plus the
# micro-benchmarks. Starts its own agora on a fresh database and stops it afterwards.
# Expects the services from scripts/services.sh (make bench arranges that).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD:-build}
port=${AGORA_BENCH_PORT:-18080}
duration=${AGORA_BENCH_SECONDS:-10}
db=agora_bench
base=${AGORA_TEST_PG_URL:?run through make bench, which exports the addresses of the services}

psql "$base/postgres" -qAt -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
config=$(mktemp)
sed -e "s|^url = .*|url = \"$base/$db\"|" \
    -e "s|^listen = .*|listen = \"127.0.0.1:$port\"|" \
    -e "s|^access_log = .*|access_log = false|" \
    -e "s|^backend = .*|backend = \"${AGORA_BENCH_CACHE:-memory}\"|" \
    -e "s|^servers = .*|servers = [\"$AGORA_TEST_MEMCACHED\"]|" \
    config/agora.toml >"$config"
"$build/agora" migrate --config "$config" >/dev/null
"$build/agora" seed-demo --config "$config" >/dev/null
"$build/agora" serve --config "$config" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$config"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

echo "== wrk: 2 threads, 32 connections, ${duration}s each, cache backend ${AGORA_BENCH_CACHE:-memory} =="
for target in "/healthz|demo.localhost" "/api/v1/site|demo.localhost" "/api/v1/sites|localhost" "/nope|demo.localhost"; do
  path=${target%%|*}
  host=${target##*|}
  echo "-- GET $path (Host: $host)"
  wrk -t2 -c32 -d"${duration}s" --latency -H "Host: $host" "http://127.0.0.1:$port$path" |
    grep -E "Requests/sec|Latency +|50%|99%|Non-2xx" || true
done

echo "== micro-benchmarks =="
"$build/bench/agora_micro_bench" --benchmark_min_time=0.2
