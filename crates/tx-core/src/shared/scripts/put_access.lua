-- Replaces the access token under KEYS[1]: ARGV[1] the value, ARGV[2] its expiry (unix
-- seconds), ARGV[3] the milliseconds it has left (the key's TTL; 0 or less: none is kept).
redis.call('DEL', KEYS[1])
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('HSET', KEYS[1], 'v', ARGV[1], 'e', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return 1
