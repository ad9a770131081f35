-- wrk script for the flat-out phases (bench/flat_out.py): every request is a real save.
-- BENCH_PREPARED lists one examinee a line: auth header value, attempt id, question ids (a,b,…),
-- tab-separated. Thread t of BENCH_WRK_THREADS takes lines t, t+T, …; its k-th request saves the
-- examinee k mod n's question (k div n) mod q with seq BENCH_SEQ_BASE + k*T + t + 1: unique and
-- rising, so each save is newer than what is stored, and a seq names the save it came from.
-- The seqs acknowledged (status 200, taken from the reply) and the figures go to BENCH_WRK_OUT.
local created = 0
local threads = {}

function setup(thread)
  thread:set("id", created)
  created = created + 1
  table.insert(threads, thread)
end

function init(args)
  count = tonumber(os.getenv("BENCH_WRK_THREADS"))
  seq_base = tonumber(os.getenv("BENCH_SEQ_BASE"))
  path = os.getenv("BENCH_PATH")
  header = os.getenv("BENCH_AUTH_HEADER")
  examinees = {}
  local line_number = 0
  for line in io.lines(os.getenv("BENCH_PREPARED")) do
    if line_number % count == id then
      local auth, attempt, ids = line:match("([^\t]*)\t([^\t]*)\t([^\t]*)")
      local questions = {}
      for question in ids:gmatch("%d+") do questions[#questions + 1] = question end
      examinees[#examinees + 1] = {auth = auth, attempt = attempt, questions = questions}
    end
    line_number = line_number + 1
  end
  sent = 0
  acks = {}
end

function request()
  local examinee = examinees[(sent % #examinees) + 1]
  local question = examinee.questions[(math.floor(sent / #examinees) % #examinee.questions) + 1]
  local seq = seq_base + sent * count + id + 1
  sent = sent + 1
  local headers = {["Content-Type"] = "application/json", [header] = examinee.auth}
  return wrk.format("PUT", string.format(path, examinee.attempt, question), headers,
                    '{"response": "A", "seq": ' .. string.format("%d", seq) .. '}')
end

function response(status, headers, body)
  if status == 200 then
    local seq = body:match('"seq":%s*(%d+)')
    if seq then acks[#acks + 1] = seq end
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("BENCH_WRK_OUT"), "w")
  local errors = summary.errors
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "acks": [',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
  local first = true
  for _, thread in ipairs(threads) do
    for _, seq in ipairs(thread:get("acks")) do
      out:write((first and "" or ",") .. seq)
      first = false
    end
  end
  out:write("]}\n")
  out:close()
end
