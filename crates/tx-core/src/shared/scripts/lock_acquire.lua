-- Takes the refresh lock KEYS[1] for the fencing value ARGV[1] for ARGV[2] milliseconds.
-- Finding it held with ARGV[1] already means an earlier try's reply was lost: it is ours.
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
