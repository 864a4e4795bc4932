-- Stores a refresh's result if the fencing value ARGV[1] still holds the lock KEYS[1]:
-- first the refresh token under KEYS[3] when ARGV[5] is '1' (ARGV[6] the value, ARGV[7]
-- its expiry or ''), then the access token under KEYS[2] (ARGV[2] the value, ARGV[3] its
-- expiry, ARGV[4] its TTL in milliseconds). All or nothing.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[5] == '1' then
  redis.call('DEL', KEYS[3])
  redis.call('HSET', KEYS[3], 'v', ARGV[6])
  if ARGV[7] ~= '' then
    redis.call('HSET', KEYS[3], 'e', ARGV[7])
  end
end
redis.call('DEL', KEYS[2])
local ttl = tonumber(ARGV[4])
if ttl > 0 then
  redis.call('HSET', KEYS[2], 'v', ARGV[2], 'e', ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return 1
