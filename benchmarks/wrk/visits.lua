-- wrk script for benchmarks/run: GET / (one visit per request), and one machine-readable summary line.
--
-- Fixed rate: with WRK_RATE (requests per second, all threads) and WRK_THREADS set, each thread sends on a
-- schedule of WRK_RATE / WRK_THREADS requests per second shared by its connections: every request takes the
-- next slot and waits for it (wrk's delay(), in whole milliseconds). A thread that falls behind sends at once
-- until it has caught up. Latency is timed from the moment a request is written, as wrk always does: time a
-- request waits for a free connection is not counted (wrk2 would count it; see benchmarks/README.md).

local rate = tonumber(os.getenv("WRK_RATE") or "")
local threads = tonumber(os.getenv("WRK_THREADS") or "")

if rate and threads then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock, bench_timespec *now);
  ]]
  local CLOCK_MONOTONIC = 1
  local clock = ffi.new("bench_timespec")
  local interval_us = 1e6 * threads / rate
  local next_us = nil

  local function now_us()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
    return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
  end

  function delay()
    local now = now_us()
    next_us = (next_us or now) + interval_us
    local wait_ms = (next_us - now) / 1e3
    if wait_ms < 1 then
      return 0
    end
    return math.floor(wait_ms)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK-RESULT requests=%d duration_us=%d mean_us=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
