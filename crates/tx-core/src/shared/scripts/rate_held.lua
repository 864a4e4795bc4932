-- Microseconds left of the hold on the quota KEYS[1] (0: none).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local held = tonumber(redis.call('HGET', KEYS[1], 'held') or '0')
return math.max(0, held - now)
