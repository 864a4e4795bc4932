-- Extends the refresh lock KEYS[1] to ARGV[2] milliseconds if ARGV[1] still holds it.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
