-- wrk script: POST a distinct message each request (distinct conversation ids, so every
-- request records a new decision instead of replaying an idempotent one).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local counter = 0
local path = os.getenv("BENCH_PATH") or "/v1/messages"
local token = os.getenv("BENCH_TOKEN") or ""
local run = os.getenv("BENCH_RUN") or "r"
local texts = {
  "Can I get a dermatology appointment next week, mornings?",
  "what are your hours on saturday",
  "I need to cancel my appointment tomorrow",
  "I was billed twice for my visit last month",
}

request = function()
  counter = counter + 1
  local text = texts[(counter % #texts) + 1]
  local body = string.format('{"conversation_id":"%s-%d-%d","message_id":"m1","channel":"chat","text":"%s"}',
                             run, tid, counter, text)
  return wrk.format("POST", path, {["Content-Type"] = "application/json",
                                   ["Authorization"] = "Bearer " .. token}, body)
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors))
end
