--[[
Projects one consumed batch (one topic partition) into the read model, atomically, in one round
trip: skips records at or below the partition's applied offset (a redelivered batch writes
nothing), adds each new event to its indexes and its tenant's stream (an event already kept, in a
rebuild, only to the indexes it lacks), trims what passed the bounds,
records recent samples, and advances the applied offset. Key names come from
services/projector/src/read-model-keys.ts through the entries; this script builds none.

KEYS[1]   marker: must hold ARGV[1], else the projection was lost and nothing is written
KEYS[2]   applied offsets hash
KEYS[3]   owners hash: subject id -> tenant
ARGV[1]   epoch of the projection this replica writes
ARGV[2]   applied field, "<topic>:<partition>"
ARGV[3]   most events per tenant (the all index)
ARGV[4]   most events per asset or job index
ARGV[5]   most samples per asset
ARGV[6]   last offset of the batch
ARGV[7..] one JSON entry per record, in offset order:
          {"o": offset, "w": [subject, tenant] (optional: record the subject's owner),
           "e": {"id", "score", "body", "events", "eventIndex", "all", "stream", "trimmed",
                              "idx": [sorted sets], "refs": [asset and job sets to trim],
                              "asset": {"hash", "ids", "id"} (asset events only)}}
          or {"o": offset, "s": {"set", "score", "value"}} for a sample

Returns {"lost"} | {"ok", events added, records skipped as already applied}.
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'lost'} end

local applied = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '-1')
local maxEvents = tonumber(ARGV[3])
local maxPerRef = tonumber(ARGV[4])
local maxSamples = tonumber(ARGV[5])
local added, skipped = 0, 0

local function trimRef(key)
  local n = redis.call('ZCARD', key)
  if n > maxPerRef then redis.call('ZREMRANGEBYRANK', key, 0, n - maxPerRef - 1) end
end

-- The stream is trimmed in steps of a tenth of the bound (amortised), remembering the newest id
-- trimmed so that a client resuming from an older id is told it missed events.
local function trimStream(e)
  local len = redis.call('XLEN', e.stream)
  if len <= maxEvents + math.max(1, math.floor(maxEvents / 10)) then return end
  local old = redis.call('XRANGE', e.stream, '-', '+', 'COUNT', len - maxEvents)
  redis.call('XTRIM', e.stream, 'MAXLEN', maxEvents)
  redis.call('SET', e.trimmed, old[#old][1])
end

-- Oldest events of a tenant beyond the bound leave every index they are in.
local function trimAll(e)
  local n = redis.call('ZCARD', e.all)
  if n <= maxEvents then return end
  local popped = redis.call('ZPOPMIN', e.all, n - maxEvents)
  for j = 1, #popped, 2 do
    local id = popped[j]
    local idx = redis.call('HGET', e.eventIndex, id)
    if idx then
      for _, k in ipairs(cjson.decode(idx)) do redis.call('ZREM', k, id) end
    end
    redis.call('HDEL', e.events, id)
    redis.call('HDEL', e.eventIndex, id)
  end
end

for i = 7, #ARGV do
  local entry = cjson.decode(ARGV[i])
  if tonumber(entry.o) <= applied then
    skipped = skipped + 1
  else
    if entry.w then redis.call('HSET', KEYS[3], entry.w[1], entry.w[2]) end
    if entry.s then
      local s = entry.s
      redis.call('ZADD', s.set, s.score, s.value)
      local n = redis.call('ZCARD', s.set)
      if n > maxSamples then redis.call('ZREMRANGEBYRANK', s.set, 0, n - maxSamples - 1) end
    elseif entry.e then
      local e = entry.e
      -- HSETNX: an event already in the model (a rebuild over a partial copy) is not indexed or streamed twice.
      if redis.call('HSETNX', e.events, e.id, e.body) == 1 then
        redis.call('HSET', e.eventIndex, e.id, cjson.encode(e.idx))
        for _, k in ipairs(e.idx) do redis.call('ZADD', k, e.score, e.id) end
        for _, k in ipairs(e.refs) do trimRef(k) end
        redis.call('XADD', e.stream, '*', 'id', e.id, 'event', e.body)
        trimStream(e)
        trimAll(e)
        added = added + 1
      else
        -- A rebuild after the index layout changed (read-model-keys.ts READ_MODEL_LAYOUT): an event
        -- kept from before is put in the indexes it lacks, and nothing else (no second stream entry).
        local idx = cjson.encode(e.idx)
        if redis.call('HGET', e.eventIndex, e.id) ~= idx then
          redis.call('HSET', e.eventIndex, e.id, idx)
          for _, k in ipairs(e.idx) do redis.call('ZADD', k, e.score, e.id) end
          for _, k in ipairs(e.refs) do trimRef(k) end
        end
      end
      if e.asset then
        redis.call('HSET', e.asset.hash, e.asset.id, e.body)
        redis.call('ZADD', e.asset.ids, 0, e.asset.id)
      end
    end
  end
end

redis.call('HSET', KEYS[2], ARGV[2], ARGV[6])
return {'ok', added, skipped}
