--[[
Stores an action's result, before it is published, if this replica still owns the run: a
replica that stalled past its lease and lost the action to another must not report it too. The
contract is Claims.finish in services/executor/src/claims.ts.

KEYS[1]  the action's hash (see claim-action.lua)
ARGV[1]  this replica's id
ARGV[2]  the result record as JSON

Returns 1 when stored (state "finished"); 0 when the claim is not this replica's running one.
]]
if redis.call('HGET', KEYS[1], 'state') ~= 'running' or redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'finished', 'result', ARGV[2])
return 1
