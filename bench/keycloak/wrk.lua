-- The bench's load, one script for both servers. Env: SCENARIO, TOKFILE (a token a line), NUSERS.
--   ours-me        GET /api/v1/users/me, bearer tokens in turn               body has "email":"
--   kc-userinfo    GET .../userinfo, bearer tokens (scope openid) in turn    body has "email":"
--   ours-refresh   POST /api/v1/auth/refresh, rotating                      body has "refreshToken":"
--   kc-refresh     refresh grant, rotating (revokeRefreshToken on)          body has "refresh_token":"
--   ours-login     POST /api/v1/auth/login, users in turn                   body has "accessToken":"
--   kc-login       password grant, users in turn                            body has "access_token":"
-- Every response is checked: a non-2xx, or a 2xx without the expected text, is counted as bad.
-- Rotation: wrk does not tell which connection a response belongs to, so the refresh tokens sit
-- in a FIFO: a request takes the oldest unused token, a 200 appends the new one. Seeded with one
-- token a connection (+1: wrk calls request() once at start-up and never sends that one), every
-- token is sent once, always the newest of its chain; a reused token would answer 401 (bad).
local scenario = os.getenv("SCENARIO")
local nusers = tonumber(os.getenv("NUSERS") or "200")
local KC = "/realms/bench/protocol/openid-connect"
local FORM = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local JSON = { ["Content-Type"] = "application/json" }
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  ok, bad, first_bad, n = 0, 0, "", 0
  pool, head, tail = {}, 1, 0
  local tokfile = os.getenv("TOKFILE") or ""
  if tokfile ~= "" then
    for line in io.lines(tokfile) do
      if #line > 0 then tail = tail + 1; pool[tail] = line end
    end
  end
  expect = ({ ["ours-me"] = '"email":"', ["kc-userinfo"] = '"email":"', ["ours-refresh"] = '"refreshToken":"',
    ["kc-refresh"] = '"refresh_token":"', ["ours-login"] = '"accessToken":"', ["kc-login"] = '"access_token":"' })[scenario]
  assert(expect, "unknown SCENARIO " .. tostring(scenario))
end

local function bearer(path)
  n = n + 1
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. pool[(n - 1) % tail + 1] })
end
local function oldest()
  local t = pool[head]
  if t == nil then return "starved.starved.starved" end
  pool[head] = nil; head = head + 1
  return t
end

function request()
  if scenario == "ours-me" then return bearer("/api/v1/users/me") end
  if scenario == "kc-userinfo" then return bearer(KC .. "/userinfo") end
  if scenario == "ours-refresh" then
    return wrk.format("POST", "/api/v1/auth/refresh", JSON, '{"refreshToken":"' .. oldest() .. '"}')
  end
  if scenario == "kc-refresh" then
    return wrk.format("POST", KC .. "/token", FORM, "grant_type=refresh_token&client_id=bench-cli&refresh_token=" .. oldest())
  end
  n = n + 1
  local i = (tid * 7919 + n) % nusers
  if scenario == "ours-login" then
    return wrk.format("POST", "/api/v1/auth/login", JSON,
      '{"email":"perf-user-' .. i .. '@bench.local","password":"bench password for perf runs"}')
  end
  return wrk.format("POST", KC .. "/token", FORM,
    "grant_type=password&client_id=bench-cli&username=user" .. (i + 1) .. "%40example.test&password=benchpass123")
end

function response(status, headers, body)
  if status >= 200 and status < 300 and body and string.find(body, expect, 1, true) then
    ok = ok + 1
    if scenario == "ours-refresh" or scenario == "kc-refresh" then
      tail = tail + 1
      pool[tail] = string.match(body, expect .. '([^"]+)')
    end
  else
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 120) end
  end
end

function done(summary, latency, requests)
  local o, b, fb = 0, 0, ""
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); b = b + t:get("bad")
    if fb == "" then fb = t:get("first_bad") or "" end
  end
  local e = summary.errors
  fb = string.gsub(string.gsub(fb, '[\\"]', ''), '%c', ' ')
  io.write(string.format('WRKJSON {"requests":%d,"seconds":%.3f,"ok":%d,"bad":%d,"socket_errors":%d,' ..
    '"p50_ms":%.2f,"p99_ms":%.2f,"first_bad":"%s"}\n', summary.requests, summary.duration / 1e6, o, b,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, fb))
end
