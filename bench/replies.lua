-- wrk script for the role-play flat-out phase (bench/roleplay.py): every request a real reply.
-- BENCH_PREPARED lists one run a line, tab-separated: auth header value, the path replies go to,
-- the run id, the step it awaits, and the body fragments of its replies from that step on
-- (`, "option_id": "a"`, `, "text": "…"` or empty for "continue"), separated by \31; a line with
-- no fragment column never ends (the ceiling: any step will do). Thread t of BENCH_WRK_THREADS
-- takes lines t, t+T, …, and sends each run's steps in order, one at a time: a run waits while a
-- reply of its is in flight, and moves on when a 200 names it (`"run_id": n`). A run whose
-- reply failed stays waiting (its next step would be a 409). The (run, step) pairs acknowledged
-- and the figures go to BENCH_WRK_OUT; `exhausted` counts requests sent when every run was
-- waiting or ended (to a path that 404s: the benchmark refuses such a round).
local created = 0
local threads = {}

function setup(thread)
  thread:set("id", created)
  created = created + 1
  table.insert(threads, thread)
end

local function fragments_of(column)
  if column == nil then return nil end
  local found = {}
  for fragment in (column .. "\31"):gmatch("([^\31]*)\31") do found[#found + 1] = fragment end
  return found
end

function init(args)
  local count = tonumber(os.getenv("BENCH_WRK_THREADS"))
  runs, by_id = {}, {}
  local line_number = 0
  for line in io.lines(os.getenv("BENCH_PREPARED")) do
    if line_number % count == id then
      local columns = {}
      for column in (line .. "\t"):gmatch("([^\t]*)\t") do columns[#columns + 1] = column end
      local run = {auth = columns[1], path = columns[2], run_id = columns[3],
                   step = tonumber(columns[4]), first = tonumber(columns[4]),
                   replies = fragments_of(columns[5]), busy = false, done = false}
      runs[#runs + 1] = run
      by_id[run.run_id] = run
    end
    line_number = line_number + 1
  end
  cursor = 0
  acks = {}
  exhausted = 0
end

function request()
  for _ = 1, #runs do
    cursor = cursor % #runs + 1
    local run = runs[cursor]
    if not run.busy and not run.done then
      run.busy = true
      local extra = run.replies and run.replies[run.step - run.first + 1] or ""
      local headers = {["Content-Type"] = "application/json", ["Authorization"] = run.auth}
      return wrk.format("POST", run.path, headers,
                        '{"step": ' .. string.format("%d", run.step) .. extra .. '}')
    end
  end
  exhausted = exhausted + 1
  return wrk.format("GET", "/bench-every-run-waiting-or-ended")
end

function response(status, headers, body)
  if status ~= 200 then return end
  local run = by_id[body:match('"run_id":%s*(%d+)')]
  if run == nil or not run.busy then return end
  acks[#acks + 1] = run.run_id .. ":" .. run.step
  run.busy = false
  run.step = run.step + 1
  run.done = run.replies ~= nil and run.step - run.first >= #run.replies
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("BENCH_WRK_OUT"), "w")
  local errors = summary.errors
  local waited = 0
  for _, thread in ipairs(threads) do waited = waited + thread:get("exhausted") end
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "exhausted": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "acks": [',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, waited, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
  local first = true
  for _, thread in ipairs(threads) do
    for _, ack in ipairs(thread:get("acks")) do
      out:write((first and "" or ",") .. '"' .. ack .. '"')
      first = false
    end
  end
  out:write("]}\n")
  out:close()
end
