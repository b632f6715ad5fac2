-- wrk script of bench/api_load.py: sends the API key of $API_KEY, spreads the requests over the paths of
-- $API_PATHS (one a line: pages and filter variants of one endpoint, in turn) and prints the figures as one JSON
-- line. Errors are wrk's own counts: answers that are not 2xx or 3xx, and connect/read/write errors and timeouts.

wrk.headers["Authorization"] = "Bearer " .. os.getenv("API_KEY")
wrk.headers["Accept"] = "application/json"

local paths = {}
for path in string.gmatch(os.getenv("API_PATHS") or "", "[^\n]+") do
  table.insert(paths, path)
end
local turn = 0

function request()
  if #paths == 0 then
    return wrk.format()
  end
  turn = turn % #paths + 1
  return wrk.format(nil, paths[turn])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "rps": %.1f, "p50": %.1f, "p95": %.1f, "p99": %.1f, "max": %.1f, ' ..
    '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors.status, errors.connect + errors.read + errors.write + errors.timeout
  ))
end
