-- No permit of the quota KEYS[1] for ARGV[1] microseconds from now (a longer hold already
-- in place stays).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local held = tonumber(redis.call('HGET', KEYS[1], 'held') or '0')
local tat = tonumber(redis.call('HGET', KEYS[1], 'tat') or '0')
local untl = math.max(held, now + tonumber(ARGV[1]))
redis.call('HSET', KEYS[1], 'held', string.format('%d', untl))
redis.call('PEXPIRE', KEYS[1], math.floor((math.max(tat, untl) - now) / 1000) + 1000)
return 1
