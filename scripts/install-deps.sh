#!/usr/bin/env bash
# Installs the Debian 12 packages Agora needs to build, test and run.
# The only place package names are listed. Idempotent: installs only what is missing.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake make ninja-build ccache pkg-config
  # libraries (headers + shared objects)
  libboost1.81-dev libpqxx-dev libpq-dev libmemcached-dev
  nlohmann-json3-dev libtomlplusplus-dev libspdlog-dev libfmt-dev libsodium-dev
  libssl-dev libcurl4-openssl-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
  libgtest-dev libbenchmark-dev
  # the server's allocator (docs/performance.md: the JSON pipeline allocates heavily)
  libjemalloc-dev
  # services the tests and `make run` start under ./var
  postgresql-15 postgresql-client-15 memcached
  # the SMTP sink that receives the mail of tests and `make run` (python3 -m aiosmtpd)
  python3-aiosmtpd
  # used by `make run` to print and try the demo request, and by `make bench`
  curl wrk
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or install them) and retry" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
