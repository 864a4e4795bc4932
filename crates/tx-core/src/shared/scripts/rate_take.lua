-- Reserves the next permit of the quota KEYS[1] (a GCRA with reservations, on Redis's
-- clock so that every process counts time alike).
-- ARGV[1]: the interval between permits in microseconds (0: unpaced, only holds apply);
-- ARGV[2]: the tolerance a burst allows, in microseconds;
-- ARGV[3]: the longest wait the caller accepts, in microseconds.
-- Returns {1, wait}: the permit is the caller's in `wait` microseconds, or {0, wait}: the
-- next permit is `wait` away, more than the caller accepts, and nothing was reserved.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('HGET', KEYS[1], 'tat') or '0')
local held = tonumber(redis.call('HGET', KEYS[1], 'held') or '0')
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local at = math.max(now, held)
if interval > 0 then
  at = math.max(at, tat - tolerance)
end
local wait = at - now
if wait > tonumber(ARGV[3]) then
  return {0, wait}
end
if interval > 0 then
  tat = math.max(tat, at) + interval
  redis.call('HSET', KEYS[1], 'tat', string.format('%d', tat))
  -- The schedule matters only until it is in the past.
  redis.call('PEXPIRE', KEYS[1], math.floor((math.max(tat, held) - now) / 1000) + 1000)
end
return {1, wait}
