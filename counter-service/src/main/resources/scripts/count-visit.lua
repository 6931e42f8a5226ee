-- Counts one visit: the total and this replica's share move in one atomic step.
-- KEYS[1] the total, KEYS[2] the hash of shares, ARGV[1] this replica's name.
local total = redis.call('INCR', KEYS[1])
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
return total
