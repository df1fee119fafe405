-- wrk script: GETs each path of a file in turn (bearer token from the command line), and reports percentiles as JSON.
-- usage: wrk ... -s paths.lua <url> -- <pathsFile> <token>
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local file, token = args[1], args[2]
  reqs = {}
  for line in io.lines(file) do
    reqs[#reqs + 1] = wrk.format("GET", line, { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" })
  end
  sent = tid * 7 -- threads start at different paths
end

function request()
  sent = sent + 1
  return reqs[((sent - 1) % #reqs) + 1]
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  print(string.format(
    'RESULT {"requests":%d,"rps":%.1f,"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,"non2xx":%d,"errors":%d}',
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
