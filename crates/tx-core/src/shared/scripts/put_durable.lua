-- Replaces the durable value under KEYS[1] (no TTL): ARGV[1] the value, ARGV[2] its
-- expiry (unix seconds) or '' when unknown.
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[1])
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], 'e', ARGV[2])
end
return 1
