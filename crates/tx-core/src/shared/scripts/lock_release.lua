-- Deletes the refresh lock KEYS[1] if ARGV[1] still holds it.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
