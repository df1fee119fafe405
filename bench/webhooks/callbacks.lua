-- wrk script: replays pre-signed status callbacks (see Signer/Program.cs).
-- usage: wrk ... -s callbacks.lua <url> -- <path> <requestsFilePrefix> <resultJson>
-- Thread t reads <requestsFilePrefix>.t, so no two threads send the same callback.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local path, prefix = args[1], args[2]
  reqs = {}
  for line in io.lines(prefix .. "." .. tid) do
    local signature, body = line:match("^([^\t]+)\t(.*)$")
    reqs[#reqs + 1] = wrk.format("POST", path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Twilio-Signature"] = signature,
    }, body)
  end
  sent, wrapped = 0, 0
end

function request()
  sent = sent + 1
  local i = ((sent - 1) % #reqs) + 1
  if sent > #reqs then wrapped = wrapped + 1 end
  return reqs[i]
end

function done(summary, latency, requests)
  local resend = 0
  for _, t in ipairs(threads) do resend = resend + (t:get("wrapped") or 0) end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local json = string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"non2xx":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,"resent":%d}',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout, resend)
  print("RESULT " .. json)
end
