#!lua
-- Counts one visit: the total and this replica's share move in one atomic step, and only while the counter
-- that sent it can still answer with the number. Refused as a whole when Redis is full (maxmemory).
-- KEYS[1] the total, KEYS[2] the hash of shares, KEYS[3] the replicas' presence, KEYS[4] the number given
-- to this request id.
-- ARGV[1] this replica's name, ARGV[2] the request id ('' when none), ARGV[3] seconds to remember it,
-- ARGV[4] the deadline (milliseconds, Redis's clock), ARGV[5] 'spread' for the spread too, ARGV[6] the name
-- of the gone replicas' sum.
-- Returns {total}, {total, name, visits, ...} with the spread, or {} when run too late: nothing counted. A
-- number already given to the request id comes back negated: nothing was counted either.
local time = redis.call('TIME')
local now = time[1] * 1000 + math.floor(time[2] / 1000)
local total
-- A request the gateway retries on another replica carries the same id: it gets the number it was given
local given = ARGV[2] ~= '' and redis.call('GET', KEYS[4])
if given then
  total = tonumber(given)
elseif now > tonumber(ARGV[4]) then
  -- The counter has given up waiting and answered 503: counting now would count a visit nobody saw
  return {}
else
  total = redis.call('INCR', KEYS[1])
  redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
  if ARGV[2] ~= '' then
    redis.call('SET', KEYS[4], total, 'EX', ARGV[3])
  end
end
local reply = {given and -total or total}
if ARGV[5] ~= 'spread' then
  return reply
end
-- The spread: the replicas running now (this one included), then the sum of every other share
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
  reply[#reply + 1] = ARGV[6]
  reply[#reply + 1] = gone
end
return reply
