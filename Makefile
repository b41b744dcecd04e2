# Agora: `make run` serves the API with a demo site; `make test` runs every test.
# Both install missing Debian packages, build, and start PostgreSQL and memcached under ./var.

SHELL := /bin/bash
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build build-tests build-asan services migrate seed run test test-release test-asan stop clean bench bench-micro

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: $(BUILD)/build.ninja

build: deps configure
	cmake --build $(BUILD) --target agora -j $(JOBS)

build-tests: deps configure
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/build.ninja: | deps
	# -O0 without debug info: sanitizer builds of template-heavy code compile 3x faster this way.
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS=-O0 -DAGORA_SANITIZE=ON -DAGORA_BENCH=OFF $(CMAKE_FLAGS)

build-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)

services: deps
	@bash scripts/services.sh start

migrate: build services
	$(BUILD)/agora migrate --config var/agora.toml

seed: migrate
	$(BUILD)/agora seed-demo --config var/agora.toml

run: seed
	@port=$$(sed -n 's/^listen = "[^:]*:\([0-9]*\)".*/\1/p' var/agora.toml | head -1); \
	echo ""; \
	echo "Agora is starting on http://127.0.0.1:$$port (Ctrl-C stops it; 'make stop' stops the databases)"; \
	echo "Try:  curl -s -H 'Host: demo.localhost' http://127.0.0.1:$$port/api/v1/site"; \
	echo "Log in (demo owner):"; \
	echo "      curl -s -H 'Host: demo.localhost' -H 'Content-Type: application/json' \\"; \
	echo "        -d '{\"email\":\"owner@demo.agora.test\",\"password\":\"demo-owner-password\"}' http://127.0.0.1:$$port/api/v1/auth"; \
	echo "Or ask for an e-mailed sign-in code (any address; mail lands in var/mail/new/):"; \
	echo "      curl -s -H 'Host: demo.localhost' -H 'Content-Type: application/json' \\"; \
	echo "        -d '{\"email\":\"you@example.org\"}' http://127.0.0.1:$$port/api/v1/auth/code"; \
	echo "      then POST /api/v1/auth with {\"email\":\"you@example.org\",\"code\":\"<8 digits>\"}"; \
	echo ""; \
	exec $(BUILD)/agora serve --config var/agora.toml

# Tests: a Release build, then the same suites under AddressSanitizer + UBSan.
test: test-release test-asan

test-release: build-tests services
	@set -a; eval "$$(bash scripts/services.sh env)"; set +a; \
	ctest --test-dir $(BUILD) --output-on-failure -V 2>&1 | bash scripts/ctest-summary.sh

test-asan: build-asan services
	@set -a; eval "$$(bash scripts/services.sh env)"; set +a; \
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp; \
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -V 2>&1 | bash scripts/ctest-summary.sh

# Benchmarks (never part of `make test`): SIZE=small (default) or large; BENCH_SECONDS per run;
# ONLY=2,3 for some scenarios; PROFILE=1 records a perf profile of each run. See bench/README.md.
SIZE ?= small
BENCH_SECONDS ?= 10
bench: build-tests services
	@set -a; eval "$$(bash scripts/services.sh env)"; set +a; \
	python3 bench/bench.py --size $(SIZE) --seconds $(BENCH_SECONDS) $(if $(ONLY),--only $(ONLY)) $(if $(PROFILE),--profile)

bench-micro: build-tests
	$(BUILD)/bench/agora_micro_bench --benchmark_min_time=0.2

stop:
	@bash scripts/services.sh stop

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
