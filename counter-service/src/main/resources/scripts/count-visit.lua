-- Counts one visit: the total and this replica's share move in one atomic step.
-- KEYS[1] the total, KEYS[2] the hash of shares, KEYS[3] the number given to this request id.
-- ARGV[1] this replica's name, ARGV[2] the request id ('' when none), ARGV[3] seconds to remember it.
-- A request the gateway retries after a replica died mid-way carries the same id: it gets the number
-- it was already given instead of counting again.
if ARGV[2] ~= '' then
  local given = redis.call('GET', KEYS[3])
  if given then
    return tonumber(given)
  end
end
local total = redis.call('INCR', KEYS[1])
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[3], total, 'EX', ARGV[3])
end
return total
