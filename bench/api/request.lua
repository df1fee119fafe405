-- wrk script: one kind of request with a bearer token, and percentiles as JSON.
-- usage: wrk ... -s request.lua <url> -- <method> <path> <token> [body] [idsFile]
-- In path and body, {id} is replaced by the next id of idsFile (each thread walks its own half, so no two
-- requests in flight touch the same record) and {n} by a counter (so every patch changes something).
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  method, path, token, body = args[1], args[2], args[3], args[4]
  ids = {}
  if args[5] then for line in io.lines(args[5]) do ids[#ids + 1] = line end end
  headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
  if body and #body > 0 then headers["Content-Type"] = "application/json" else body = nil end
  sent = 0
end

function request()
  sent = sent + 1
  local id = #ids > 0 and ids[((tid * math.floor(#ids / 2) + sent - 1) % #ids) + 1] or ""
  local n = tostring(tid * 100000000 + sent)
  local p = path:gsub("{id}", id)
  local b = body and body:gsub("{n}", n) or nil
  return wrk.format(method, p, headers, b)
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  print(string.format(
    'RESULT {"requests":%d,"rps":%.1f,"p50_ms":%.2f,"p99_ms":%.2f,"non2xx":%d,"errors":%d}',
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
