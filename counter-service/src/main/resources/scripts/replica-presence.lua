#!lua
-- This replica is running: its presence is extended, and the shares of replicas gone for a while are folded
-- into one sum, so the hash of shares lists no more names than there are replicas. The total never changes.
-- KEYS[1] the replicas' presence (name -> when it expires, milliseconds), KEYS[2] the hash of shares.
-- ARGV[1] this replica's name, ARGV[2] milliseconds its presence lasts, ARGV[3] milliseconds a replica stays
-- gone before its share is folded, ARGV[4] the name of the gone replicas' sum.
-- Returns Redis's clock {seconds, microseconds}, from which the counter learns its offset.
local time = redis.call('TIME')
local now = time[1] * 1000 + math.floor(time[2] / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - tonumber(ARGV[3])))
local known = {[ARGV[4]] = true}
for _, name in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  known[name] = true
end
local shares = redis.call('HGETALL', KEYS[2])
for i = 1, #shares, 2 do
  if not known[shares[i]] then
    redis.call('HINCRBY', KEYS[2], ARGV[4], shares[i + 1])
    redis.call('HDEL', KEYS[2], shares[i])
  end
end
return time
