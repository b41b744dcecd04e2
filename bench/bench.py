#!/usr/bin/env python3
"""Agora's benchmarks (`make bench`): load a forum of a chosen size, run the scenarios of the
benchmarks issue against a running agora and against a minimal Beast server (the baseline,
the physical limit of this machine for this server design), and write bench/results/.

    python3 bench/bench.py [--size small|large] [--seconds 10] [--only 2,3]

Expects the services of scripts/services.sh and their addresses in the environment
(AGORA_TEST_PG_URL, AGORA_TEST_MEMCACHED, AGORA_SERVICES): `make bench` arranges that.
Standard library only.
"""
import argparse
import hashlib
import json
import os
import platform
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("BUILD", ROOT / "build"))
WORK = ROOT / "var" / "bench"
RESULTS = Path(os.environ.get("AGORA_BENCH_RESULTS", ROOT / "bench" / "results"))
AGORA_PORT = int(os.environ.get("AGORA_BENCH_PORT", "18080"))
BASELINE_PORT = AGORA_PORT + 1
CONNECTIONS = 64
SERVER_CPU = "0"  # agora and the baseline server
LOAD_CPU = "1"    # wrk; PostgreSQL and memcached are left to the scheduler

SMALL = dict(profiles=1000, microcosms=20, conversations=2000, comments=50000)
SIZES = {
    "small": dict(main=SMALL, others=0),
    "large": dict(main=dict(profiles=100000, microcosms=200, conversations=100000, comments=2000000), others=50),
}
TOKENS = 200  # signed-in members of the main site with a known access token
HOT = 100     # conversations in the hot set of the cached scenarios

TARGETS = {
    "1": "≥ 0.9 × baseline throughput",
    "2": "≥ 0.4 × baseline, p99 ≤ 3 ms at 64 connections",
    "3": "≥ 0.3 × baseline, p99 ≤ 5 ms",
    "4": "deep page within 1.5× of page 1; p99 ≤ 10 ms",
    "5": "≥ 0.05 × baseline; SQL round trips per request stated and bounded",
    "6": "≥ 2,000 comments/s, p99 ≤ 20 ms, fsync on",
    "7": "p99 ≤ 10 ms with 0 errors",
    "8": "large within 1.25× of small on throughput and p99",
    "memory": "idle RSS ≤ 50 MB; RSS under load ≤ 200 MB",
}


def log(*args):
    print("[bench]", *args, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


class Database:
    def __init__(self, base_url, name):
        self.base = base_url
        self.name = name
        self.url = f"{base_url}/{name}"

    def sql(self, query, db=None):
        out = run(["psql", f"{self.base}/{db or self.name}", "-v", "ON_ERROR_STOP=1", "-qAtX", "-c", query])
        return out.stdout.strip()

    def script(self, text):
        subprocess.run(["psql", self.url, "-v", "ON_ERROR_STOP=1", "-qAtX", "-f", "-"], input=text, text=True,
                       check=True, stdout=subprocess.DEVNULL)

    def exists(self):
        return self.sql(f"SELECT 1 FROM pg_database WHERE datname = '{self.name}'", db="postgres") == "1"


def write_config(db, size):
    WORK.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "config" / "agora.toml").read_text()
    memcached = os.environ["AGORA_TEST_MEMCACHED"]
    replace = {
        r"^url = .*": f'url = "{db.url}"',
        r"^listen = .*": f'listen = "127.0.0.1:{AGORA_PORT}"',
        r"^access_log = .*": "access_log = false",
        r"^level = .*": 'level = "warn"',
        r"^backend = .*": 'backend = "memcached"',
        r"^servers = .*": f'servers = ["{memcached}"]',
        r"^namespace = .*": f'namespace = "bench-{size}"',
        r"^enabled = .*": "enabled = false",
    }
    for pattern, value in replace.items():
        text = re.sub(pattern, value, text, count=1, flags=re.M)
    path = WORK / f"agora-{size}.toml"
    path.write_text(text)
    return path


def agora(*args):
    return run([str(BUILD / "agora"), *args])


def generator_sql(site_id, spec):
    text = (ROOT / "bench" / "data" / "forum.sql").read_text()
    values = dict(site=site_id, **spec)
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", str(value))
    return text


def token_of(n):
    return ("bench" + str(n)).ljust(128, "x")


def load_data(db, size, config):
    """Loads the forum once; later runs reuse it while the generator and the size are unchanged."""
    spec = SIZES[size]
    fingerprint = hashlib.sha256(((ROOT / "bench" / "data" / "forum.sql").read_text() + json.dumps(spec) +
                                  str(TOKENS) + agora("version").stdout).encode()).hexdigest()[:16]
    if db.exists():
        try:
            if db.sql("SELECT value FROM bench_meta WHERE key = 'fingerprint'") == fingerprint:
                log(f"reusing database {db.name} (fingerprint {fingerprint})")
                agora("migrate", "--config", str(config))  # new indexes reach kept data too
                return
        except subprocess.CalledProcessError:
            pass
    log(f"loading the {size} forum into {db.name}")
    started = time.monotonic()
    db.sql(f"DROP DATABASE IF EXISTS {db.name} WITH (FORCE)", db="postgres")
    db.sql(f"CREATE DATABASE {db.name}", db="postgres")
    agora("migrate", "--config", str(config))
    sites = [("bench", spec["main"])] + [(f"bench{i}", SMALL) for i in range(1, spec["others"] + 1)]
    for subdomain, site_spec in sites:
        agora("create-site", "--config", str(config), "--subdomain", subdomain, "--title", f"Benchmark {subdomain}")
        site_id = db.sql(f"SELECT site_id FROM sites WHERE subdomain_key = '{subdomain}'")
        t = time.monotonic()
        db.script(generator_sql(site_id, site_spec))
        if subdomain == "bench" or subdomain.endswith("0"):
            log(f"  site {subdomain}: {site_spec['comments']} comments in {time.monotonic() - t:.0f} s")
    main_site = db.sql("SELECT site_id FROM sites WHERE subdomain_key = 'bench'")
    db.script(f"""
        INSERT INTO access_tokens (token_sha256, user_id, site_id, expires)
        SELECT encode(sha256(convert_to(rpad('bench' || g.n, 128, 'x'), 'UTF8')), 'hex'), p.user_id, {main_site},
               (now() AT TIME ZONE 'UTC') + interval '10 years'
          FROM (SELECT row_number() OVER (ORDER BY profile_id) AS n, user_id FROM profiles
                 WHERE site_id = {main_site} AND profile_name LIKE 'gen%') p
          JOIN generate_series(1, {TOKENS}) AS g(n) ON g.n = p.n;""")
    db.sql("VACUUM ANALYZE")
    db.sql("CREATE TABLE bench_meta (key text PRIMARY KEY, value text NOT NULL)")
    seconds = time.monotonic() - started
    db.sql(f"INSERT INTO bench_meta VALUES ('fingerprint', '{fingerprint}'), ('load_seconds', '{seconds:.0f}')")
    log(f"loaded in {seconds:.0f} s")


def ensure_hot_conversations(db):
    """Scenario 2 reads conversations with a full first page of 25 comments. The generator
    spreads comments evenly (20 per conversation at `large`), so the first HOT conversations
    of the main site are topped up to 25 comments, counters recomputed. Idempotent."""
    site = db.sql("SELECT site_id FROM sites WHERE subdomain_key = 'bench'")
    full = int(db.sql(f"SELECT COUNT(*) FROM conversations WHERE site_id = {site} AND comment_count >= 25"))
    if full >= HOT:
        return
    log(f"topping up {HOT} conversations to 25 comments")
    db.script(f"""
        BEGIN;
        CREATE TEMP TABLE hot ON COMMIT DROP AS
          SELECT conversation_id, comment_count, created FROM conversations
           WHERE site_id = {site} ORDER BY conversation_id LIMIT {HOT};
        CREATE TEMP TABLE authors ON COMMIT DROP AS
          SELECT row_number() OVER (ORDER BY profile_id) AS n, profile_id FROM profiles WHERE site_id = {site};
        WITH made AS (
          INSERT INTO comments (site_id, item_type_id, item_id, profile_id, created)
          SELECT {site}, 6, h.conversation_id, a.profile_id, h.created + make_interval(secs => g.j * 60)
            FROM hot h CROSS JOIN LATERAL generate_series(h.comment_count + 1, 25) AS g(j)
            JOIN authors a ON a.n = 1 + ((h.conversation_id * 31 + g.j * 7) % (SELECT COUNT(*) FROM authors))
          RETURNING comment_id, profile_id, created)
        INSERT INTO revisions (comment_id, profile_id, raw, html, created)
        SELECT comment_id, profile_id, 'Generated **comment** ' || comment_id,
               '<p>Generated <strong>comment</strong> ' || comment_id || '</p>' || chr(10), created FROM made;
        UPDATE conversations c SET comment_count = s.n, last_modified = GREATEST(c.last_modified, s.newest)
          FROM (SELECT item_id, COUNT(*) AS n, MAX(created) AS newest FROM comments
                 WHERE site_id = {site} AND item_type_id = 6 AND item_id IN (SELECT conversation_id FROM hot)
                 GROUP BY item_id) s
         WHERE c.conversation_id = s.item_id;
        UPDATE microcosms m SET comment_count = s.comments
          FROM (SELECT microcosm_id, SUM(comment_count) AS comments FROM conversations
                 WHERE site_id = {site} GROUP BY microcosm_id) s
         WHERE m.microcosm_id = s.microcosm_id;
        UPDATE profiles p SET comment_count = s.n
          FROM (SELECT profile_id, COUNT(*) AS n FROM comments WHERE site_id = {site} GROUP BY profile_id) s
         WHERE p.profile_id = s.profile_id AND p.comment_count <> s.n;
        COMMIT;""")
    db.sql("VACUUM ANALYZE comments")


def restore_generated(db):
    """Scenarios 6 and 7 add comments; left in place they would grow the hot threads run after
    run and drift every later figure. The first run marks the highest generated comment; each
    run starts by removing what earlier runs wrote above it and recomputing the counters."""
    mark = db.sql("SELECT value FROM bench_meta WHERE key = 'generated_max_comment'")
    if not mark:
        db.sql("INSERT INTO bench_meta SELECT 'generated_max_comment', COALESCE(MAX(comment_id), 0)::text FROM comments")
        return
    written = int(db.sql(f"SELECT COUNT(*) FROM comments WHERE comment_id > {int(mark)}"))
    if written == 0:
        return
    log(f"removing {written} comments written by earlier runs")
    db.script(f"""
        BEGIN;
        CREATE TEMP TABLE gone ON COMMIT DROP AS
          SELECT comment_id, site_id, item_id, profile_id FROM comments WHERE comment_id > {int(mark)};
        DELETE FROM mentions WHERE comment_id IN (SELECT comment_id FROM gone);
        DELETE FROM revision_links WHERE revision_id IN
          (SELECT revision_id FROM revisions WHERE comment_id IN (SELECT comment_id FROM gone));
        DELETE FROM revisions WHERE comment_id IN (SELECT comment_id FROM gone);
        DELETE FROM comments WHERE comment_id IN (SELECT comment_id FROM gone);
        UPDATE conversations c
           SET comment_count = (SELECT COUNT(*) FROM comments m WHERE m.item_type_id = 6 AND m.item_id = c.conversation_id
                                   AND NOT m.is_deleted AND NOT m.is_moderated),
               last_modified = COALESCE((SELECT MAX(m.created) FROM comments m WHERE m.item_type_id = 6
                                          AND m.item_id = c.conversation_id), c.created)
         WHERE c.conversation_id IN (SELECT item_id FROM gone);
        UPDATE microcosms m SET comment_count = s.comments
          FROM (SELECT microcosm_id, SUM(comment_count) AS comments FROM conversations
                 WHERE site_id IN (SELECT DISTINCT site_id FROM gone) GROUP BY microcosm_id) s
         WHERE m.microcosm_id = s.microcosm_id;
        UPDATE profiles p SET comment_count = (SELECT COUNT(*) FROM comments m WHERE m.profile_id = p.profile_id)
         WHERE p.profile_id IN (SELECT profile_id FROM gone);
        COMMIT;""")
    db.sql("VACUUM ANALYZE comments")


def ensure_event_and_huddle(db):
    """Scenario 9 reads an event and a huddle, each with a first page of 25 comments: one event
    in the forum holding the fewest items (the listings of scenario 4 keep their shape) and one
    huddle between the profiles of tokens 1 and 2. Made once, after restore_generated; the
    generated-comment mark then moves past their comments, so later runs keep them."""
    site = db.sql("SELECT site_id FROM sites WHERE subdomain_key = 'bench'")
    if db.sql(f"SELECT COUNT(*) FROM events WHERE site_id = {site} AND title = 'Bench event'") != "0":
        return
    log("adding the event and the huddle of scenario 9")
    db.script(f"""
        BEGIN;
        CREATE TEMP TABLE members ON COMMIT DROP AS
          SELECT row_number() OVER (ORDER BY profile_id) AS n, profile_id FROM profiles
           WHERE site_id = {site} AND profile_name LIKE 'gen%';
        CREATE TEMP TABLE home ON COMMIT DROP AS
          SELECT microcosm_id FROM microcosms WHERE site_id = {site} AND parent_id IS NOT NULL
           ORDER BY item_count, microcosm_id LIMIT 1;
        CREATE TEMP TABLE made ON COMMIT DROP AS
          WITH e AS (INSERT INTO events (site_id, microcosm_id, title, created_by, created, last_modified)
                     SELECT {site}, microcosm_id, 'Bench event', (SELECT profile_id FROM members WHERE n = 3),
                            (now() AT TIME ZONE 'UTC') - interval '2 days', (now() AT TIME ZONE 'UTC') - interval '2 days'
                       FROM home RETURNING event_id),
               h AS (INSERT INTO huddles (site_id, title, created_by, created, last_modified)
                     SELECT {site}, 'Bench huddle', profile_id, (now() AT TIME ZONE 'UTC') - interval '2 days',
                            (now() AT TIME ZONE 'UTC') - interval '2 days' FROM members WHERE n = 1
                     RETURNING huddle_id)
          SELECT 9 AS item_type_id, event_id AS item_id FROM e UNION ALL SELECT 5, huddle_id FROM h;
        INSERT INTO huddle_profiles (site_id, huddle_id, profile_id)
          SELECT {site}, m.item_id, p.profile_id FROM made m, members p WHERE m.item_type_id = 5 AND p.n IN (1, 2);
        WITH c AS (
          INSERT INTO comments (site_id, item_type_id, item_id, profile_id, created)
          SELECT {site}, m.item_type_id, m.item_id,
                 (SELECT profile_id FROM members WHERE n = CASE WHEN m.item_type_id = 5 THEN 1 + g.j % 2 ELSE 1 + g.j % 20 END),
                 (now() AT TIME ZONE 'UTC') - interval '1 day' + make_interval(secs => g.j * 60)
            FROM made m CROSS JOIN generate_series(1, 25) AS g(j)
          RETURNING comment_id, profile_id, created)
        INSERT INTO revisions (comment_id, profile_id, raw, html, created)
          SELECT comment_id, profile_id, 'Bench **comment** ' || comment_id,
                 '<p>Bench <strong>comment</strong> ' || comment_id || '</p>' || chr(10), created FROM c;
        UPDATE events e SET comment_count = 25, last_modified = (SELECT MAX(created) FROM comments
                                                                  WHERE item_type_id = 9 AND item_id = e.event_id)
         WHERE e.event_id IN (SELECT item_id FROM made WHERE item_type_id = 9);
        UPDATE huddles h SET comment_count = 25, last_modified = (SELECT MAX(created) FROM comments
                                                                   WHERE item_type_id = 5 AND item_id = h.huddle_id)
         WHERE h.huddle_id IN (SELECT item_id FROM made WHERE item_type_id = 5);
        UPDATE microcosms SET item_count = item_count + 1, comment_count = comment_count + 25
         WHERE microcosm_id = (SELECT microcosm_id FROM home);
        UPDATE bench_meta SET value = (SELECT MAX(comment_id) FROM comments)::text WHERE key = 'generated_max_comment';
        COMMIT;""")
    db.sql("VACUUM ANALYZE comments")


class Http:
    """Plain requests for sampling answers and reading /metrics."""

    def __init__(self, port, host):
        self.port = port
        self.host = host

    def get(self, path, token=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers={"Host": self.host})
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def wait_ready(self, what):
        for _ in range(100):
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{what} did not start")


def metrics(http):
    text = http.get("/metrics")[1].decode()
    hits = misses = 0
    for kind, result, value in re.findall(r'^agora_cache_lookups_total\{kind="([^"]+)",result="(\w+)"\} (\d+)', text, re.M):
        if result == "hit":
            hits += int(value)
        else:
            misses += int(value)
    tx = re.search(r"^agora_db_transactions_total (\d+)", text, re.M)
    return dict(cache_hits=hits, cache_misses=misses, db_transactions=int(tx.group(1)) if tx else 0)


def sql_statements(db):
    """Statements run in the bench database from pg_stat_statements, as (statements without
    transaction control, every round trip including BEGIN/COMMIT/ROLLBACK); None when not loaded."""
    try:
        out = db.sql("SELECT COALESCE(sum(calls) FILTER (WHERE s.query !~* '^(BEGIN|COMMIT|ROLLBACK|SET )'), 0),"
                     " COALESCE(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
                     " WHERE d.datname = current_database() AND s.query !~ 'pg_stat_statements'")
        return tuple(int(x) for x in out.split("|"))
    except subprocess.CalledProcessError:
        return None


class ProcessWatch:
    """Peak RSS (sampled every 50 ms) and CPU time of a process over a measurement."""

    def __init__(self, pid):
        self.pid = pid

    def rss_mb(self):
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self):
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self):
        self.peak = self.rss_mb()
        self.cpu0 = self.cpu_seconds()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while not self.stop.wait(0.05):
            self.peak = max(self.peak, self.rss_mb())

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.cpu = self.cpu_seconds() - self.cpu0


def lua_string_list(values):
    return "{" + ",".join(json.dumps(str(v)) for v in values) + "}"


def write_plan(host, paths, tokens=(), sequential=False, write_ratio=0.0, targets=(), names=()):
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "plan.lua"
    path.write_text(
        "return {\n"
        f"  host = {json.dumps(host)},\n"
        f"  paths = {lua_string_list(paths or ['/healthz'])},\n"
        f"  sequential = {'true' if sequential else 'false'},\n"
        f"  tokens = {lua_string_list(tokens)},\n"
        f"  write_ratio = {write_ratio},\n"
        f"  targets = {{{','.join(str(t) for t in targets) or '0'}}},\n"
        f"  names = {lua_string_list(names or ['nobody'])},\n"
        f"  nonce = {json.dumps(str(int(time.time() * 1000)))},\n"
        "}\n")
    return path


def wrk(port, plan, seconds, connections=CONNECTIONS):
    env = dict(os.environ, BENCH_PLAN=str(plan))
    cmd = ["taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
           "-s", str(ROOT / "bench" / "load.lua"), f"http://127.0.0.1:{port}"]
    out = subprocess.run(cmd, env=env, text=True, capture_output=True, check=True).stdout
    line = next((l for l in out.splitlines() if l.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError("wrk printed no result:\n" + out)
    r = json.loads(line[len("BENCHJSON "):])
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


class Bench:
    def __init__(self, args):
        self.args = args
        self.size = args.size
        self.db = Database(os.environ["AGORA_TEST_PG_URL"], f"agora_bench_{self.size}")
        self.config = write_config(self.db, self.size)
        self.results = []
        self.baselines = {}
        self.services = os.environ["AGORA_SERVICES"]

    # --- processes -------------------------------------------------------------------------

    def start_servers(self):
        log_file = open(WORK / "agora.log", "w")
        env = dict(os.environ)
        if os.environ.get("AGORA_BENCH_PRELOAD"):  # allocator experiments
            env["LD_PRELOAD"] = os.environ["AGORA_BENCH_PRELOAD"]
        self.agora = subprocess.Popen(["taskset", "-c", SERVER_CPU, str(BUILD / "agora"), "serve", "--config",
                                       str(self.config)], stdout=log_file, stderr=subprocess.STDOUT, env=env)
        self.baseline = subprocess.Popen(["taskset", "-c", SERVER_CPU, str(BUILD / "bench" / "agora_baseline_server"),
                                          str(BASELINE_PORT), "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.http = Http(AGORA_PORT, "bench.localhost")
        self.http.wait_ready("agora")
        Http(BASELINE_PORT, "x").wait_ready("the baseline server")
        time.sleep(1)
        self.idle_rss_start = ProcessWatch(self.agora.pid).rss_mb()

    def stop_servers(self):
        for p in (getattr(self, "agora", None), getattr(self, "baseline", None)):
            if p and p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()

    def flush_memcached(self):
        host, port = os.environ["AGORA_TEST_MEMCACHED"].split(":")
        with socket.create_connection((host, int(port)), timeout=5) as s:
            s.sendall(b"flush_all\r\n")
            if not s.recv(64).startswith(b"OK"):
                raise RuntimeError("memcached refused flush_all")

    # --- the data the scenarios use -------------------------------------------------------

    def discover(self):
        db = self.db
        self.site_id = int(db.sql("SELECT site_id FROM sites WHERE subdomain_key = 'bench'"))
        conversations = [int(x) for x in db.sql(
            f"SELECT conversation_id FROM conversations WHERE site_id = {self.site_id} AND NOT is_deleted"
            " ORDER BY conversation_id").split()]
        self.conversations = conversations
        busy = [int(x) for x in db.sql(
            f"SELECT conversation_id FROM conversations WHERE site_id = {self.site_id} AND comment_count >= 25"
            " ORDER BY conversation_id").split()]
        rng = random.Random(7)
        self.hot = rng.sample(busy, min(HOT, len(busy)))
        self.biggest_microcosm, self.microcosm_items = (int(x) for x in db.sql(
            f"SELECT microcosm_id, item_count FROM microcosms WHERE site_id = {self.site_id} AND parent_id IS NOT NULL"
            " ORDER BY item_count DESC, microcosm_id LIMIT 1").split("|"))
        self.tokens = [token_of(n) for n in range(1, TOKENS + 1)]
        self.names = db.sql(f"SELECT profile_name FROM profiles WHERE site_id = {self.site_id} AND profile_name LIKE 'gen%'"
                            " ORDER BY profile_id LIMIT 200").split()
        self.data = dict(
            size=self.size,
            sites=int(db.sql("SELECT COUNT(*) FROM sites WHERE subdomain_key LIKE 'bench%'")),
            profiles=int(db.sql("SELECT COUNT(*) FROM profiles")),
            microcosms=int(db.sql("SELECT COUNT(*) FROM microcosms")),
            conversations=int(db.sql("SELECT COUNT(*) FROM conversations")),
            comments=int(db.sql("SELECT COUNT(*) FROM comments")),
            database_mb=round(int(db.sql("SELECT pg_database_size(current_database())")) / 2**20),
            load_seconds=int(db.sql("SELECT value FROM bench_meta WHERE key = 'load_seconds'")),
        )
        log("data:", json.dumps(self.data))

    # --- measuring ---------------------------------------------------------------------------

    def baseline_for(self, body_bytes, connections):
        key = (body_bytes, connections)
        if key not in self.baselines:
            plan = write_plan("baseline", [f"/bytes/{body_bytes}"])
            self.baselines[key] = wrk(BASELINE_PORT, plan, self.args.seconds, connections)
        return self.baselines[key]

    def measure(self, scenario, name, plan, sample_path=None, token=None, seconds=None, connections=CONNECTIONS,
                warmup=True, expect_status=200, before=None):
        seconds = seconds or self.args.seconds
        body_bytes = 0
        if sample_path:
            status, body = self.http.get(sample_path, token)
            if status != expect_status:
                raise RuntimeError(f"{name}: {sample_path} answered {status}: {body[:300]!r}")
            body_bytes = len(body)
        if warmup:
            wrk(AGORA_PORT, plan, 2, connections)
        if before:
            before()
        m0, s0 = metrics(self.http), sql_statements(self.db)
        profiler = self.start_profiler() if self.args.profile else None
        with ProcessWatch(self.agora.pid) as watch:
            r = wrk(AGORA_PORT, plan, seconds, connections)
        if profiler:
            self.finish_profiler(profiler, scenario, name)
        m1, s1 = metrics(self.http), sql_statements(self.db)
        if self.agora.poll() is not None:
            raise RuntimeError(f"agora exited during {name}; see {WORK / 'agora.log'}")
        n = max(r["requests"], 1)
        lookups = (m1["cache_hits"] - m0["cache_hits"]) + (m1["cache_misses"] - m0["cache_misses"])
        errors = r["errors"]
        status_errors = errors["status"] if expect_status < 400 else 0
        result = dict(
            scenario=scenario, name=name, connections=connections, seconds=seconds,
            requests=r["requests"], rps=round(r["rps"], 1),
            latency_ms={k: round(v / 1000, 3) for k, v in r["latency_us"].items()},
            errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"] + status_errors,
            body_bytes=body_bytes,
            peak_rss_mb=round(watch.peak, 1),
            cpu_percent=round(100 * watch.cpu / (r["duration_us"] / 1e6), 1),
            cache_hit_ratio=round((m1["cache_hits"] - m0["cache_hits"]) / lookups, 4) if lookups else None,
            cache_lookups_per_request=round(lookups / n, 2),
            db_transactions_per_request=round((m1["db_transactions"] - m0["db_transactions"]) / n, 3),
            sql_statements_per_request=round((s1[0] - s0[0]) / n, 3) if s0 and s1 else None,
            sql_round_trips_per_request=round((s1[1] - s0[1]) / n, 3) if s0 and s1 else None,
        )
        if body_bytes:
            base = self.baseline_for(body_bytes, connections)
            result["baseline_rps"] = round(base["rps"], 1)
            result["ratio_to_baseline"] = round(r["rps"] / base["rps"], 3)
            result["baseline_p99_ms"] = round(base["latency_us"]["p99"] / 1000, 3)
        self.results.append(result)
        log(f"{scenario} {name}: {result['rps']:.0f} req/s, p99 {result['latency_ms']['p99']} ms, "
            f"ratio {result.get('ratio_to_baseline', '-')}, errors {result['errors']}, "
            f"sql/req {result['sql_statements_per_request']} ({result['sql_round_trips_per_request']} round trips), "
            f"hit {result['cache_hit_ratio']}, cpu {result['cpu_percent']}%")
        return result

    def start_profiler(self):
        data = WORK / "perf.data"
        return subprocess.Popen(["perf", "record", "-e", "cpu-clock", "-F", "999", "-p", str(self.agora.pid), "-o",
                                 str(data)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), data

    def finish_profiler(self, profiler, scenario, name):
        """A flat profile of agora over the measured run, in var/bench/profile-<scenario>.txt."""
        proc, data = profiler
        proc.send_signal(2)
        proc.wait(timeout=30)
        report = subprocess.run(["perf", "report", "--stdio", "--no-children", "--percent-limit", "0.7", "-i", str(data),
                                 "--sort", "dso,symbol"], text=True, capture_output=True).stdout
        path = WORK / f"profile-{scenario}.txt"
        with path.open("a") as f:
            f.write(f"=== scenario {scenario}: {name}\n")
            f.write("\n".join(re.sub(r"[ -]+$", "", l)[:220] for l in report.splitlines() if l and not l.startswith("#")) + "\n")
        log(f"profile: {path}")

    def conversation_paths(self, ids):
        return [f"/api/v1/conversations/{i}" for i in ids]

    def scenario_1(self):
        self.measure("1", "GET /healthz", write_plan("bench.localhost", ["/healthz"]), "/healthz", warmup=False)
        self.measure("1", "GET unknown route (404)", write_plan("bench.localhost", ["/api/v1/nothing-here"]),
                     "/api/v1/nothing-here", warmup=False, expect_status=404)

    def scenario_2(self):
        paths = self.conversation_paths(self.hot)
        self.measure("2", f"GET conversation + 25 comments, guest ({len(paths)} hot ids)",
                     write_plan("bench.localhost", paths), paths[0])

    def scenario_3(self):
        paths = self.conversation_paths(self.hot)
        self.measure("3", f"GET conversation + 25 comments, member ({len(self.tokens)} tokens)",
                     write_plan("bench.localhost", paths, tokens=self.tokens), paths[0], token=self.tokens[0])

    def scenario_4(self):
        mid = self.biggest_microcosm
        deep_m = max(0, min(10000, self.microcosm_items - 25))
        total = int(self.db.sql(f"SELECT COUNT(*) FROM conversations WHERE site_id = {self.site_id}"))
        deep_c = max(0, min(10000, total - 25))
        for label, path in (("microcosm listing page 1", f"/api/v1/microcosms/{mid}"),
                            (f"microcosm listing offset {deep_m}", f"/api/v1/microcosms/{mid}?offset={deep_m}"),
                            ("site-wide conversations page 1", "/api/v1/conversations"),
                            (f"site-wide conversations offset {deep_c}", f"/api/v1/conversations?offset={deep_c}")):
            self.measure("4", f"{label}, guest", write_plan("bench.localhost", [path]), path)

    def scenario_5(self):
        paths = self.conversation_paths(self.conversations)
        seconds = min(self.args.seconds, 5)
        self.measure("5", f"cold cache: GET conversation over {len(paths)} distinct ids after flush_all",
                     write_plan("bench.localhost", paths, sequential=True), paths[-1], seconds=seconds, warmup=False,
                     before=self.flush_memcached)

    def scenario_6(self):
        plan = write_plan("bench.localhost", [], tokens=self.tokens, write_ratio=1.0, targets=self.conversations,
                          names=self.names)
        self.measure("6", "POST comment (markdown, link, mention), members", plan, warmup=False)

    def scenario_7(self):
        rng = random.Random(11)
        ranked = self.conversations[:]
        rng.shuffle(ranked)
        weights = [1 / (rank + 1) for rank in range(len(ranked))]  # Zipf, s = 1
        picks = rng.choices(ranked, weights=weights, k=20000)
        plan = write_plan("bench.localhost", self.conversation_paths(picks), tokens=self.tokens, write_ratio=0.1,
                          targets=ranked[:1000], names=self.names)
        self.measure("7", "mixed: 90% GET conversation (Zipf), 10% POST comment, members", plan, warmup=False)

    def scenario_9(self):
        event = self.db.sql(f"SELECT event_id FROM events WHERE site_id = {self.site_id} AND title = 'Bench event'")
        huddle = self.db.sql(f"SELECT huddle_id FROM huddles WHERE site_id = {self.site_id} AND title = 'Bench huddle'")
        path = f"/api/v1/events/{event}"
        self.measure("9", "GET event + 25 comments, guest", write_plan("bench.localhost", [path]), path)
        path = f"/api/v1/huddles/{huddle}"
        self.measure("9", "GET huddle + 25 comments, participant", write_plan("bench.localhost", [path],
                     tokens=self.tokens[:1]), path, token=self.tokens[0])

    # --- the whole run -----------------------------------------------------------------------

    def run(self):
        started = time.monotonic()
        load_data(self.db, self.size, self.config)
        ensure_hot_conversations(self.db)
        restore_generated(self.db)
        ensure_event_and_huddle(self.db)
        if self.args.load_only:
            return
        subprocess.run(["bash", self.services, "stat-statements", self.db.name], check=True)
        self.discover()
        self.flush_memcached()
        subprocess.run(["bash", self.services, "durable", "on"], check=True)
        try:
            self.start_servers()
            for old in WORK.glob("profile-*.txt"):
                old.unlink()
            chosen = self.args.only.split(",") if self.args.only else [str(i) for i in (1, 2, 3, 4, 5, 6, 7, 9)]
            for s in chosen:
                getattr(self, f"scenario_{s}")()
            time.sleep(2)
            self.idle_rss_end = ProcessWatch(self.agora.pid).rss_mb()
        finally:
            self.stop_servers()
            subprocess.run(["bash", self.services, "durable", "off"], check=False)
        self.elapsed = time.monotonic() - started
        self.report()

    def environment(self):
        model = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                      if l.startswith("model name")), platform.machine())
        return dict(
            date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            commit=run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).stdout.strip(),
            cpu=model, cores=os.cpu_count(), memory_gb=round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
            pinning=f"agora and the baseline server on CPU {SERVER_CPU} (taskset), wrk (1 thread) on CPU {LOAD_CPU}; "
                    "PostgreSQL and memcached unpinned",
            postgres="PostgreSQL 15 on loopback, fsync/synchronous_commit/full_page_writes on while measuring",
            cache="memcached on loopback (agora [cache] backend = memcached)",
            wrk_connections=CONNECTIONS, seconds_per_run=self.args.seconds,
        )

    def report(self):
        RESULTS.mkdir(parents=True, exist_ok=True)
        doc = dict(environment=self.environment(), data=self.data, results=self.results,
                   memory=dict(idle_rss_start_mb=round(self.idle_rss_start, 1), idle_rss_end_mb=round(self.idle_rss_end, 1),
                               peak_rss_mb=max((r["peak_rss_mb"] for r in self.results), default=0)),
                   elapsed_seconds=round(self.elapsed))
        (RESULTS / f"{self.size}.json").write_text(json.dumps(doc, indent=2) + "\n")
        other = RESULTS / ("large.json" if self.size == "small" else "small.json")
        scale = scale_comparison(doc if self.size == "small" else json.loads(other.read_text()) if other.exists() else None,
                                 doc if self.size == "large" else json.loads(other.read_text()) if other.exists() else None)
        doc["scale"] = scale
        (RESULTS / "latest.json").write_text(json.dumps(doc, indent=2) + "\n")
        (RESULTS / "latest.md").write_text(markdown_report(doc))
        log(f"report: {RESULTS / 'latest.md'} ({doc['elapsed_seconds']} s in all)")


def scale_comparison(small, large):
    """Scenario 8: the same scenarios at both sizes (from the last run of each)."""
    if not small or not large:
        return None
    rows = []
    for r in large["results"]:
        if r["scenario"] not in ("2", "4"):
            continue
        twin = next((s for s in small["results"] if s["scenario"] == r["scenario"] and
                     re.sub(r"offset \d+", "offset N", s["name"]) == re.sub(r"offset \d+", "offset N", r["name"])), None)
        if twin:
            rows.append(dict(name=r["name"], small_rps=twin["rps"], large_rps=r["rps"],
                             throughput_ratio=round(twin["rps"] / r["rps"], 3) if r["rps"] else None,
                             small_p99_ms=twin["latency_ms"]["p99"], large_p99_ms=r["latency_ms"]["p99"],
                             p99_ratio=round(r["latency_ms"]["p99"] / twin["latency_ms"]["p99"], 3)
                             if twin["latency_ms"]["p99"] else None))
    return dict(small_date=small["environment"]["date"], large_date=large["environment"]["date"], rows=rows)


def verdicts(doc):
    """Where each scenario stands against its target: (scenario, target, figures, met)."""
    res = doc["results"]
    by = lambda s: [r for r in res if r["scenario"] == s]
    out = []
    def add(s, figures, met):
        out.append((s, TARGETS[s], figures, met))
    if by("1"):
        worst = min(r.get("ratio_to_baseline", 0) for r in by("1"))
        add("1", f"lowest ratio {worst:.2f}", worst >= 0.9)
    for s, ratio, p99 in (("2", 0.4, 3), ("3", 0.3, 5)):
        for r in by(s):
            add(s, f"ratio {r['ratio_to_baseline']:.3f}, p99 {r['latency_ms']['p99']} ms",
                r["ratio_to_baseline"] >= ratio and r["latency_ms"]["p99"] <= p99)
    rows = by("4")
    if len(rows) == 4:
        for first, deep in ((rows[0], rows[1]), (rows[2], rows[3])):
            slower = first["rps"] / deep["rps"] if deep["rps"] else float("inf")
            worst_p99 = max(first["latency_ms"]["p99"], deep["latency_ms"]["p99"])
            add("4", f"{first['name'].split(' page')[0]}: deep page takes {slower:.2f}× page 1's time, worst p99 {worst_p99} ms",
                slower <= 1.5 and worst_p99 <= 10)
    for r in by("5"):
        add("5", f"ratio {r['ratio_to_baseline']:.3f}; per request {r['sql_statements_per_request']} SQL statements, "
                 f"{r['sql_round_trips_per_request']} round trips (bounded: ≤ 10 for a cold page, tests/api/discussion_test.cpp)",
            r["ratio_to_baseline"] >= 0.05)
    for r in by("6"):
        add("6", f"{r['rps']:.0f} comments/s, p99 {r['latency_ms']['p99']} ms", r["rps"] >= 2000 and r["latency_ms"]["p99"] <= 20)
    for r in by("7"):
        add("7", f"p99 {r['latency_ms']['p99']} ms, {r['errors']} errors", r["latency_ms"]["p99"] <= 10 and r["errors"] == 0)
    scale = doc.get("scale")
    if scale and scale["rows"]:
        worst_t = max(x["throughput_ratio"] or 0 for x in scale["rows"])
        worst_p = max(x["p99_ratio"] or 0 for x in scale["rows"])
        add("8", f"small/large throughput up to {worst_t:.2f}×, large/small p99 up to {worst_p:.2f}×",
            worst_t <= 1.25 and worst_p <= 1.25)
    else:
        add("8", "not measured: needs a run of each size (make bench SIZE=large)", None)
    mem = doc["memory"]
    add("memory", f"idle {mem['idle_rss_start_mb']} MB at start, {mem['idle_rss_end_mb']} MB after the run; "
                  f"peak {mem['peak_rss_mb']} MB", mem["idle_rss_start_mb"] <= 50 and mem["peak_rss_mb"] <= 200)
    return out


def markdown_report(doc):
    env, data = doc["environment"], doc["data"]
    lines = [f"# Agora benchmark report ({data['size']})", "",
             f"Written by `make bench` (bench/bench.py) on {env['date']} at commit {env['commit']}.", "",
             f"- Machine: {env['cpu']}, {env['cores']} cores, {env['memory_gb']} GiB.",
             f"- Pinning: {env['pinning']}.",
             f"- {env['postgres']}; {env['cache']}.",
             f"- Load: wrk with bench/load.lua, {env['wrk_connections']} connections, {env['seconds_per_run']} s per run "
             "(2 s warm-up before cached scenarios).",
             f"- Baseline: bench/baseline_server.cpp (same Asio/Beast design, 2 threads on the same CPU) answering a body "
             "of the same size as the scenario's answer, measured in the same run.",
             f"- Data: {data['sites']} site(s), {data['profiles']:,} profiles, {data['microcosms']:,} microcosms, "
             f"{data['conversations']:,} conversations, {data['comments']:,} comments; database {data['database_mb']} MB "
             f"(loaded in {data['load_seconds']} s).", "",
             "## Against the targets", "", "| scenario | target | where we stand | met |", "|---|---|---|---|"]
    for s, target, figures, met in verdicts(doc):
        lines.append(f"| {s} | {target} | {figures} | {'yes' if met else 'no' if met is not None else '—'} |")
    lines += ["", "## Figures", "",
              "| # | scenario | req/s | × baseline | p50 ms | p90 ms | p99 ms | max ms | errors | body B | "
              "peak RSS MB | CPU % | cache hits | SQL stmts/req | SQL round trips/req | DB tx/req |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in doc["results"]:
        l = r["latency_ms"]
        hit = f"{100 * r['cache_hit_ratio']:.1f}%" if r["cache_hit_ratio"] is not None else "—"
        lines.append(f"| {r['scenario']} | {r['name']} | {r['rps']:,.0f} | {r.get('ratio_to_baseline', '—')} | "
                     f"{l['p50']} | {l['p90']} | {l['p99']} | {l['max']} | {r['errors']} | {r['body_bytes']} | "
                     f"{r['peak_rss_mb']} | {r['cpu_percent']} | {hit} | {r['sql_statements_per_request']} | "
                     f"{r['sql_round_trips_per_request']} | {r['db_transactions_per_request']} |")
    bases = sorted({(r["body_bytes"], r.get("baseline_rps"), r.get("baseline_p99_ms")) for r in doc["results"]
                    if r.get("baseline_rps")})
    lines += ["", "Baseline runs (same connections and duration): " +
              "; ".join(f"{b} B → {rps:,.0f} req/s, p99 {p99} ms" for b, rps, p99 in bases) + "."]
    scale = doc.get("scale")
    if scale and scale["rows"]:
        lines += ["", "## Scale (scenario 8)", "",
                  f"Last small run {scale['small_date']}, last large run {scale['large_date']}.", "",
                  "| scenario | small req/s | large req/s | small/large | small p99 ms | large p99 ms | large/small p99 |",
                  "|---|---|---|---|---|---|---|"]
        for x in scale["rows"]:
            lines.append(f"| {x['name']} | {x['small_rps']:,.0f} | {x['large_rps']:,.0f} | {x['throughput_ratio']} | "
                         f"{x['small_p99_ms']} | {x['large_p99_ms']} | {x['p99_ratio']} |")
    mem = doc["memory"]
    lines += ["", "## Memory", "",
              f"Idle RSS {mem['idle_rss_start_mb']} MB after start, {mem['idle_rss_end_mb']} MB after the run; "
              f"peak {mem['peak_rss_mb']} MB under load.", "",
              f"Whole run: {doc['elapsed_seconds']} s. Profiles and what was changed: docs/performance.md.", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seconds", type=int, default=10, help="length of each measured run")
    parser.add_argument("--profile", action="store_true",
                        help="record a flat perf profile of agora during each run (var/bench/profile-N.txt)")
    parser.add_argument("--load-only", action="store_true", help="load (or check) the data and stop")
    parser.add_argument("--only", help="comma-separated scenario numbers (1-7, 9); default all")
    args = parser.parse_args()
    for tool in ("wrk", "taskset", "psql"):
        if not any((Path(d) / tool).exists() for d in os.environ.get("PATH", "").split(":")):
            sys.exit(f"bench: {tool} is missing (make bench installs it)")
    Bench(args).run()


if __name__ == "__main__":
    main()
