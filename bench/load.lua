-- wrk request generator for bench/bench.py. The plan (paths, tokens, write mix) is a Lua file
-- written by bench.py and named by $BENCH_PLAN; every wrk thread loads it.
--   plan.host         Host header (selects the site)
--   plan.paths        GET targets
--   plan.sequential   walk the paths in order (each thread from its own start) instead of at random
--   plan.tokens       bearer tokens, one picked at random per request (none: guest)
--   plan.write_ratio  share of requests that create a comment (0..1)
--   plan.targets      conversation ids that writes comment on
--   plan.names        profile names that writes mention
--   plan.nonce        makes every run's comment texts new (the duplicate-post guard)
local plan = dofile(os.getenv("BENCH_PLAN"))
local threads = {}
local counter = 0
local position = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end

function init(args)
  thread_index = thread_index or 1
  math.randomseed(os.time() + thread_index * 7919)
  position = math.floor((#plan.paths / 8) * (thread_index - 1))
end

local function headers()
  local h = { Host = plan.host }
  if plan.tokens and #plan.tokens > 0 then
    h["Authorization"] = "Bearer " .. plan.tokens[math.random(#plan.tokens)]
  end
  return h
end

function request()
  counter = counter + 1
  local h = headers()
  if plan.write_ratio and plan.write_ratio > 0 and math.random() < plan.write_ratio then
    h["Content-Type"] = "application/json"
    local body = string.format(
      '{"itemType":"conversation","itemId":%d,"markdown":"Benchmark comment %s-%d-%d: see [the notes](https://example.org/notes/%d) and **bold** words, @%s."}',
      plan.targets[math.random(#plan.targets)], plan.nonce, thread_index, counter, counter,
      plan.names[math.random(#plan.names)])
    return wrk.format("POST", "/api/v1/comments", h, body)
  end
  local path
  if plan.sequential then
    position = position + 1
    path = plan.paths[(position % #plan.paths) + 1]
  else
    path = plan.paths[math.random(#plan.paths)]
  end
  return wrk.format("GET", path, h)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
