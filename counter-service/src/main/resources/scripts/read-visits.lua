#!lua flags=no-writes
-- Reads the total and the spread in one step, counting nothing; runs when Redis is full too.
-- KEYS[1] the total, KEYS[2] the hash of shares, KEYS[3] the replicas' presence.
-- ARGV[1] this replica's name, ARGV[2] the name of the gone replicas' sum.
-- Returns {total, name, visits, ...}: the replicas running now (this one included), then the sum of the others.
local time = redis.call('TIME')
local now = time[1] * 1000 + math.floor(time[2] / 1000)
local reply = {tonumber(redis.call('GET', KEYS[1]) or '0')}
local live = {[ARGV[1]] = 0}
for _, name in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. now, '+inf')) do
  live[name] = 0
end
local gone = 0
local shares = redis.call('HGETALL', KEYS[2])
for i = 1, #shares, 2 do
  if live[shares[i]] then
    live[shares[i]] = tonumber(shares[i + 1])
  else
    gone = gone + tonumber(shares[i + 1])
  end
end
for name, visits in pairs(live) do
  reply[#reply + 1] = name
  reply[#reply + 1] = visits
end
if gone > 0 then
  reply[#reply + 1] = ARGV[2]
  reply[#reply + 1] = gone
end
return reply
