/**
 * Atomic Redis scripts for admission and settlement. Admission checks every
 * rate limit, concurrency limit and quota of a request and reserves them, all or
 * nothing, in one round trip; it may also hand this replica an allowance (a lease)
 * beyond the request, reserved in Redis like the request itself, which the replica
 * then spends locally on later requests without a round trip (see limiter.ts).
 * Settlements and unused allowances go back in batches (FLUSH_LUA). Time comes
 * from Redis (TIME), so every gateway replica agrees.
 *
 * Reservations of in-flight requests and allowances (concurrency slots, quota
 * amounts) are held per replica: a hash `res` member → amount (+ '#total') and a
 * zset `exp` member → expiry, refreshed whenever the replica touches them. A
 * replica that dies stops refreshing, and its reservations expire.
 *
 * Admission ARGV: member, ttlMs, then a list of checks; KEYS are consumed in order.
 *   B capacity windowMs cost want        token bucket (rpm/tpm); 1 key (string "tokens ts")
 *   C limit want                         concurrency; 2 keys (res, exp)
 *   Q limit amount resetAt want          quota/budget; 3 keys (settled counter, res, exp)
 * `want` is the allowance asked for beyond this request; the script grants at most
 * 1/32 of what is left after the request, and nothing when that is less than the
 * request itself (so limits near their end are never leased, and a replica never
 * sits on much of a limit others need).
 * Then the deployment choice: ndeps, and per deployment nbuckets followed by
 * nbuckets × (capacity windowMs cost), 1 key each. The first deployment whose
 * buckets all have room is chosen (one with no buckets always has room).
 *
 * Reply: { ok, failedCheck (1-based, or -1 = no deployment), retryAfterMs, chosenDeployment (1-based or 0),
 *          per check: limit, remaining (after the request and the grant), resetMs, granted }
 */
export const ADMIT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local member = ARGV[1]
local ttl = tonumber(ARGV[2])
local a = 3
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

-- reservations of replicas that died (stopped refreshing them) expire
local function expire_stale(res, exp)
  local stale = redis.call('ZRANGEBYSCORE', exp, '-inf', now)
  for _, m in ipairs(stale) do
    local amt = tonumber(redis.call('HGET', res, m) or '0')
    redis.call('HDEL', res, m)
    redis.call('HINCRBY', res, '#total', -amt)
    redis.call('ZREM', exp, m)
  end
end

-- a grant smaller than the request itself could never admit one like it: none then
local function grant_of(want, free, unit)
  if want <= 0 or free <= 0 then return 0 end
  local g = math.floor(math.min(want, free / 32))
  if g < unit then return 0 end
  return g
end

while ARGV[a] == 'B' or ARGV[a] == 'C' or ARGV[a] == 'Q' do
  local kind = ARGV[a]
  local c = { kind = kind, grant = 0 }
  if kind == 'B' then
    c.key = KEYS[k]; k = k + 1
    c.cap = tonumber(ARGV[a + 1]); c.window = tonumber(ARGV[a + 2]); c.cost = tonumber(ARGV[a + 3]); c.want = tonumber(ARGV[a + 4]); a = a + 5
    c.tokens = bucket_state(c.key, c.cap, c.window)
    c.ok = c.tokens >= c.cost
    if c.ok then
      c.grant = grant_of(c.want, c.tokens - c.cost, c.cost)
      c.after = c.tokens - c.cost - c.grant
    else
      c.after = c.tokens
    end
    c.limit = c.cap
    c.remaining = math.max(0, math.floor(c.after))
    c.reset = math.ceil((c.cap - c.after) * c.window / c.cap)
    if c.cost > c.cap then c.retry = -1 else c.retry = math.ceil((c.cost - c.tokens) * c.window / c.cap) end
  else
    if kind == 'C' then
      c.res = KEYS[k]; c.exp = KEYS[k + 1]; k = k + 2
      c.limit = tonumber(ARGV[a + 1]); c.amount = 1; c.want = tonumber(ARGV[a + 2]); a = a + 3
      c.used = 0
      c.reset = 0
      c.retry = 1000
    else
      c.key = KEYS[k]; c.res = KEYS[k + 1]; c.exp = KEYS[k + 2]; k = k + 3
      c.limit = tonumber(ARGV[a + 1]); c.amount = tonumber(ARGV[a + 2]); c.resetAt = tonumber(ARGV[a + 3]); c.want = tonumber(ARGV[a + 4]); a = a + 5
      c.used = tonumber(redis.call('GET', c.key) or '0')
      c.reset = math.max(0, c.resetAt - now)
      c.retry = c.reset
    end
    expire_stale(c.res, c.exp)
    local used = c.used + tonumber(redis.call('HGET', c.res, '#total') or '0')
    c.ok = used + c.amount <= c.limit
    if c.ok then c.grant = grant_of(c.want, c.limit - used - c.amount, c.amount) end
    c.remaining = math.max(0, c.limit - used - (c.ok and (c.amount + c.grant) or 0))
  end
  checks[#checks + 1] = c
end

local function reply(ok, failed, retry, chosen)
  local out = { ok, failed, retry, chosen }
  for _, c in ipairs(checks) do
    out[#out + 1] = tostring(c.limit); out[#out + 1] = tostring(c.remaining); out[#out + 1] = tostring(c.reset); out[#out + 1] = tostring(c.grant)
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
if ndeps > 0 and chosen == 0 then
  for _, c in ipairs(checks) do c.grant = 0 end
  return reply(0, -1, earliest, 0)
end

-- everything fits: reserve the request and the grants
for _, c in ipairs(checks) do
  if c.kind == 'B' then
    redis.call('SET', c.key, c.after .. ' ' .. now, 'PX', c.window * 2)
  else
    local n = c.amount + c.grant
    redis.call('HINCRBY', c.res, member, n)
    redis.call('HINCRBY', c.res, '#total', n)
    redis.call('ZADD', c.exp, now + ttl, member)
    redis.call('PEXPIRE', c.res, ttl * 2)
    redis.call('PEXPIRE', c.exp, ttl * 2)
  end
end
for _, bk in ipairs(dep_buckets) do
  redis.call('SET', bk.key, (bk.tokens - bk.cost) .. ' ' .. now, 'PX', bk.window * 2)
end
return reply(1, 0, 0, chosen)
`;

/**
 * Settles a batch of a replica's finished requests and gives back allowances it
 * did not use, idempotently: KEYS[1] holds the replica's last applied batch
 * number, so a batch retried after a lost reply is applied once.
 * ARGV: seq, member, ttlMs, then entries; KEYS consumed in order after KEYS[1]:
 *   B delta capacity windowMs          give back (delta > 0) or take more (delta < 0) tokens; 1 key
 *   R release                          release that much of the member's reservation; 2 keys (res, exp)
 *   Q release settled expireAtMs       release, and add the actual usage to the counter; 3 keys (counter, res, exp)
 * A reservation that stays above zero has its expiry pushed back (the replica is alive).
 */
export const FLUSH_LUA = `
local seq = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if last >= seq then return 0 end
local member = ARGV[2]
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[1], seq, 'PX', math.max(ttl * 2, 3600000))
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function release(res, exp, amount)
  local cur = tonumber(redis.call('HGET', res, member) or '0')
  local dec = math.min(cur, amount)
  local left = cur - dec
  if dec > 0 then redis.call('HINCRBY', res, '#total', -dec) end
  if left > 0 then
    redis.call('HSET', res, member, left)
    redis.call('ZADD', exp, now + ttl, member)
    redis.call('PEXPIRE', res, ttl * 2)
    redis.call('PEXPIRE', exp, ttl * 2)
  else
    redis.call('HDEL', res, member)
    redis.call('ZREM', exp, member)
  end
end

local a = 4
local k = 2
while ARGV[a] do
  local kind = ARGV[a]
  if kind == 'B' then
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
  elseif kind == 'R' then
    release(KEYS[k], KEYS[k + 1], tonumber(ARGV[a + 1])); k = k + 2; a = a + 2
  else
    local key = KEYS[k]
    release(KEYS[k + 1], KEYS[k + 2], tonumber(ARGV[a + 1]))
    local settled = tonumber(ARGV[a + 2])
    if settled > 0 then redis.call('INCRBY', key, settled) end
    redis.call('PEXPIREAT', key, tonumber(ARGV[a + 3]))
    k = k + 3; a = a + 4
  end
end
return 1
`;
