--[[
Claims one healing action for this executor replica, so that it is carried out once across
redelivery, rebalances and crashes. The contract is Claim in services/executor/src/domain/claim.ts.

KEYS[1]  the action's hash: state (running | finished | published), owner, lease_until (epoch ms),
         runs (how many owners started it), result (the result record as JSON, once finished)
ARGV[1]  this replica's id
ARGV[2]  now, epoch ms
ARGV[3]  lease ms: how long the claim holds without renewal
ARGV[4]  TTL ms of the hash (at least healing.actions' retention, so a replay is still a duplicate)

Returns {"claimed"} | {"taken_over", runs, previous owner} | {"held", owner, remaining ms} |
{"finished", result JSON} | {"published"}. Writes only for "claimed" and "taken_over".
]]
local now = tonumber(ARGV[2])
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'published' then return {'published'} end
if state == 'finished' then return {'finished', redis.call('HGET', KEYS[1], 'result')} end
if state == 'running' then
  local owner = redis.call('HGET', KEYS[1], 'owner')
  local remaining = tonumber(redis.call('HGET', KEYS[1], 'lease_until')) - now
  if remaining > 0 then return {'held', owner, remaining} end
  local runs = redis.call('HINCRBY', KEYS[1], 'runs', 1)
  redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'lease_until', now + tonumber(ARGV[3]))
  return {'taken_over', runs, owner}
end
redis.call('HSET', KEYS[1], 'state', 'running', 'owner', ARGV[1], 'lease_until', now + tonumber(ARGV[3]), 'runs', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {'claimed'}
