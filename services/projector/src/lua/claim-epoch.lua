--[[
Starts a projection epoch when there is none: the marker is missing (first start, or Redis lost the
read model), so the applied offsets cannot be trusted either and are dropped with it. Replicas that
find a marker join its epoch.

KEYS[1]   marker
KEYS[2]   applied offsets hash
ARGV[1]   a new epoch id, used only if the marker is missing

Returns {epoch, "new" | "existing"}.
]]
local current = redis.call('GET', KEYS[1])
if current then return {current, 'existing'} end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return {ARGV[1], 'new'}
