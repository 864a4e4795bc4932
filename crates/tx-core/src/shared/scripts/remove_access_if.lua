-- Removes the access token under KEYS[1] only if its value is still ARGV[1], the one a
-- call was rejected with: a token another process stored since then stays.
if redis.call('HGET', KEYS[1], 'v') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
