--[[
Extends the lease of an action this replica is running. The contract is Claims.renew in
services/executor/src/claims.ts.

KEYS[1]  the action's hash (see claim-action.lua)
ARGV[1]  this replica's id
ARGV[2]  new lease_until, epoch ms

Returns 1 when renewed; 0 when the claim is no longer this replica's running one (it stalled past
its lease and another replica took the action over).
]]
if redis.call('HGET', KEYS[1], 'state') ~= 'running' or redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'lease_until', ARGV[2])
return 1
