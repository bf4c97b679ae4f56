/**
 * Atomic Redis scripts for admission and settlement. Admission checks every
 * rate limit, concurrency limit and quota of a request and reserves them, all or
 * nothing, in one round trip; settlement releases and corrects them after the
 * answer. Time comes from Redis (TIME), so every gateway replica agrees.
 *
 * Admission ARGV: a list of checks; KEYS are consumed in order.
 *   B capacity windowMs cost            token bucket (rpm/tpm); 1 key (hash: t, ts)
 *   C limit member ttlMs                concurrency;            1 key (zset member → expiry)
 *   Q limit amount member ttlMs resetAt quota/budget;           3 keys (settled counter, reservations hash with '#total', reservation expiries zset)
 * then the deployment choice: ndeps, and per deployment nbuckets followed by
 * nbuckets × (capacity windowMs cost), 1 key each. The first deployment whose
 * buckets all have room is chosen (one with no buckets always has room).
 *
 * Reply: { ok, failedCheck (1-based, or -1 = no deployment), retryAfterMs, chosenDeployment (1-based or 0),
 *          per check: limit, remaining, resetMs }
 */
export const ADMIT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local a = 1
local k = 1
local checks = {}

local function bucket_state(key, cap, window)
  local v = redis.call('GET', key)
  if not v then return cap end
  local sep = string.find(v, ' ', 1, true)
  local tokens = tonumber(string.sub(v, 1, sep - 1))
  local ts = tonumber(string.sub(v, sep + 1))
  return math.min(cap, tokens + (now - ts) * cap / window)
end

while ARGV[a] == 'B' or ARGV[a] == 'C' or ARGV[a] == 'Q' do
  local kind = ARGV[a]
  local c = { kind = kind }
  if kind == 'B' then
    c.key = KEYS[k]; k = k + 1
    c.cap = tonumber(ARGV[a + 1]); c.window = tonumber(ARGV[a + 2]); c.cost = tonumber(ARGV[a + 3]); a = a + 4
    c.tokens = bucket_state(c.key, c.cap, c.window)
    c.ok = c.tokens >= c.cost
    if c.ok then c.after = c.tokens - c.cost else c.after = c.tokens end
    c.limit = c.cap
    c.remaining = math.max(0, math.floor(c.after))
    c.reset = math.ceil((c.cap - c.after) * c.window / c.cap)
    if c.cost > c.cap then c.retry = -1 else c.retry = math.ceil((c.cost - c.tokens) * c.window / c.cap) end
  elseif kind == 'C' then
    c.key = KEYS[k]; k = k + 1
    c.limit = tonumber(ARGV[a + 1]); c.member = ARGV[a + 2]; c.ttl = tonumber(ARGV[a + 3]); a = a + 4
    local n = redis.call('ZCARD', c.key)
    if n >= c.limit then
      -- slots of requests that never settled (a replica died) expire
      redis.call('ZREMRANGEBYSCORE', c.key, '-inf', now)
      n = redis.call('ZCARD', c.key)
    end
    c.ok = n < c.limit
    c.remaining = math.max(0, c.limit - n - 1)
    c.reset = 0
    c.retry = 1000
  else
    -- settled counter; reservations: hash member -> amount (+ '#total'), zset member -> expiry
    c.key = KEYS[k]; c.res = KEYS[k + 1]; c.exp = KEYS[k + 2]; k = k + 3
    c.limit = tonumber(ARGV[a + 1]); c.amount = tonumber(ARGV[a + 2]); c.member = ARGV[a + 3]
    c.ttl = tonumber(ARGV[a + 4]); c.resetAt = tonumber(ARGV[a + 5]); a = a + 6
    -- reservations of requests that never settled (a replica died) expire
    local stale = redis.call('ZRANGEBYSCORE', c.exp, '-inf', now)
    for _, m in ipairs(stale) do
      local amt = tonumber(redis.call('HGET', c.res, m) or '0')
      redis.call('HDEL', c.res, m)
      redis.call('HINCRBY', c.res, '#total', -amt)
      redis.call('ZREM', c.exp, m)
    end
    local used = tonumber(redis.call('GET', c.key) or '0') + tonumber(redis.call('HGET', c.res, '#total') or '0')
    c.ok = used + c.amount <= c.limit
    c.remaining = math.max(0, c.limit - used - (c.ok and c.amount or 0))
    c.reset = math.max(0, c.resetAt - now)
    c.retry = c.reset
  end
  checks[#checks + 1] = c
end

local function reply(ok, failed, retry, chosen)
  local out = { ok, failed, retry, chosen }
  for _, c in ipairs(checks) do
    out[#out + 1] = tostring(c.limit); out[#out + 1] = tostring(c.remaining); out[#out + 1] = tostring(c.reset)
  end
  return out
end

for i, c in ipairs(checks) do
  if not c.ok then return reply(0, i, c.retry, 0) end
end

-- deployment choice
local ndeps = tonumber(ARGV[a] or '0'); a = a + 1
local chosen = 0
local dep_buckets = {}
local earliest = -1
for d = 1, ndeps do
  local nb = tonumber(ARGV[a]); a = a + 1
  local fits = true
  local list = {}
  for b = 1, nb do
    local bk = { key = KEYS[k], cap = tonumber(ARGV[a]), window = tonumber(ARGV[a + 1]), cost = tonumber(ARGV[a + 2]) }
    k = k + 1; a = a + 3
    bk.tokens = bucket_state(bk.key, bk.cap, bk.window)
    if bk.tokens < bk.cost then
      fits = false
      local wait = math.ceil((bk.cost - bk.tokens) * bk.window / bk.cap)
      if earliest < 0 or wait < earliest then earliest = wait end
    end
    list[#list + 1] = bk
  end
  if fits and chosen == 0 then chosen = d; dep_buckets = list end
end
if ndeps > 0 and chosen == 0 then return reply(0, -1, earliest, 0) end

-- everything fits: reserve
for _, c in ipairs(checks) do
  if c.kind == 'B' then
    redis.call('SET', c.key, c.after .. ' ' .. now, 'PX', c.window * 2)
  elseif c.kind == 'C' then
    redis.call('ZADD', c.key, now + c.ttl, c.member)
    redis.call('PEXPIRE', c.key, c.ttl * 2)
  else
    redis.call('HSET', c.res, c.member, c.amount)
    redis.call('HINCRBY', c.res, '#total', c.amount)
    redis.call('ZADD', c.exp, now + c.ttl, c.member)
    redis.call('PEXPIRE', c.res, c.ttl * 2)
    redis.call('PEXPIRE', c.exp, c.ttl * 2)
  end
end
for _, bk in ipairs(dep_buckets) do
  redis.call('SET', bk.key, (bk.tokens - bk.cost) .. ' ' .. now, 'PX', bk.window * 2)
end
return reply(1, 0, 0, chosen)
`;

/**
 * Settlement ARGV, KEYS consumed in order:
 *   C member                          release a concurrency slot; 1 key
 *   B delta capacity windowMs         give back (delta > 0) or take more (delta < 0) tokens; 1 key
 *   Q member amount expireAtMs        drop the reservation, add the actual usage; 3 keys (settled, reservations, expiries)
 */
export const SETTLE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local a = 1
local k = 1
while ARGV[a] do
  local kind = ARGV[a]
  if kind == 'C' then
    redis.call('ZREM', KEYS[k], ARGV[a + 1]); k = k + 1; a = a + 2
  elseif kind == 'B' then
    local key = KEYS[k]; k = k + 1
    local delta = tonumber(ARGV[a + 1]); local cap = tonumber(ARGV[a + 2]); local window = tonumber(ARGV[a + 3]); a = a + 4
    if delta ~= 0 then
      local tokens = cap
      local v = redis.call('GET', key)
      if v then
        local sep = string.find(v, ' ', 1, true)
        tokens = math.min(cap, tonumber(string.sub(v, 1, sep - 1)) + (now - tonumber(string.sub(v, sep + 1))) * cap / window)
      end
      redis.call('SET', key, math.min(cap, tokens + delta) .. ' ' .. now, 'PX', window * 2)
    end
  else
    local key = KEYS[k]; local res = KEYS[k + 1]; local exp = KEYS[k + 2]; k = k + 3
    local reserved = redis.call('HGET', res, ARGV[a + 1])
    if reserved then
      redis.call('HDEL', res, ARGV[a + 1])
      redis.call('HINCRBY', res, '#total', -tonumber(reserved))
      redis.call('ZREM', exp, ARGV[a + 1])
    end
    local amount = tonumber(ARGV[a + 2])
    if amount > 0 then redis.call('INCRBY', key, amount) end
    redis.call('PEXPIREAT', key, tonumber(ARGV[a + 3]))
    a = a + 4
  end
end
return 1
`;
