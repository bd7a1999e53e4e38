--[[
Claims a healing slot atomically: dedupe, per-asset cooldown and concurrency caps in one step, so
two healer replicas can never both act on the same anomaly or overrun a cap. The contract is
SlotClaim in services/healer/src/domain/slot.ts.

KEYS[1]     dedupe key: "pending" once claimed, "done" once the action was published
KEYS[2]     the asset's cooldown key
KEYS[3..n]  cap sorted sets: member = dedupe id, score = epoch ms at which the slot lapses
ARGV[1]     now, epoch ms
ARGV[2]     dedupe TTL ms
ARGV[3]     cooldown ms
ARGV[4]     "1" to enforce the cooldown (first action of an incident), "0" for an escalation
ARGV[5]     slot TTL ms (a crashed healer cannot hold a slot longer than this)
ARGV[6]     dedupe id whose slot this claim takes over, or ""
ARGV[7]     this claim's dedupe id (the cap member)
ARGV[8]     "1" for a dry-run claim (shadow mode): the cooldown and caps are reported, never enforced
ARGV[9..]   cap limits, aligned with KEYS[3..]

Returns {"acquired"} | {"pending"} (claimed earlier, not confirmed published: publish again) |
{"duplicate"} | {"cooldown", remaining ms} | {"cap_reached", cap index from 1, in flight, limit} |
{"shadowed", "cooldown" | "cap_reached", ...the same numbers} (dry run: live mode would have held it
back; only the dedupe key is written, so a redelivery is still a duplicate, and nothing cools down
or holds a slot for an action that live mode would not have taken).
Nothing is written for "duplicate", "pending", "cooldown" and "cap_reached".
]]
local now = tonumber(ARGV[1])
local shadow = ARGV[8] == '1'
local existing = redis.call('GET', KEYS[1])
if existing == 'done' then return {'duplicate'} end
if existing == 'pending' then return {'pending'} end

local held = nil
if ARGV[4] == '1' then
  local remaining = redis.call('PTTL', KEYS[2])
  if remaining > 0 then held = {'cooldown', remaining} end
end

if not held then
  for i = 3, #KEYS do
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
    local live = redis.call('ZCARD', KEYS[i])
    if ARGV[6] ~= '' and redis.call('ZSCORE', KEYS[i], ARGV[6]) then live = live - 1 end
    local limit = tonumber(ARGV[i + 6])
    if live >= limit then
      held = {'cap_reached', i - 2, live, limit}
      break
    end
  end
end

if held and not shadow then return held end
redis.call('SET', KEYS[1], 'pending', 'PX', ARGV[2])
if held then return {'shadowed', held[1], held[2], held[3], held[4]} end
redis.call('SET', KEYS[2], ARGV[7], 'PX', ARGV[3])
for i = 3, #KEYS do
  if ARGV[6] ~= '' then redis.call('ZREM', KEYS[i], ARGV[6]) end
  redis.call('ZADD', KEYS[i], now + tonumber(ARGV[5]), ARGV[7])
end
return {'acquired'}
