-- wrk 4.1 has no constant-rate mode: each connection waits `delay()` ms before its next request,
-- so connections * 1000 / PP_LOAD_DELAY_MS requests a second is the ceiling, less the latency.
local delay_ms = tonumber(os.getenv("PP_LOAD_DELAY_MS") or "10")

function delay()
  return delay_ms
end
