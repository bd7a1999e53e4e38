/**
 * How a protocol service changes its working copy in Redis: one script per change that checks the
 * entity's revision (compare-and-set), writes the new state, remembers what the request sends
 * under its correlation id, and keeps a sorted-set index in step — all or nothing.
 *
 * Why Redis first, Kafka second: a reply must never reach a caller before the state it describes
 * can be read (the dispatcher reads the planner's commits), and a replica that takes over a
 * partition must never read a copy older than what Kafka already holds. With the write first, the
 * copy is never behind Kafka; it can be ahead only while the send is in flight, and a request
 * redelivered in that window finds its kept reply and audits and sends them again, with the current
 * state of the keys it wrote, instead of being applied twice.
 *
 * Revisions are read without decoding the state: every state object puts `revision` before any
 * nested object or array (`{"kind":"charter","revision":7,…` or `{"revision":7,…`), so a pattern
 * anchored at the start finds the top-level one. A state without a readable revision counts as -1,
 * which no expected revision matches.
 */
import type { Redis } from '@maestro/state';

/** A Lua function returning the top-level revision of a JSON state string, or -1. */
const REVISION_OF = `
local function revision_of(json)
  if not json then return 0 end
  local found = string.match(json, '^{[^{%[]-"revision":(%d+)')
  if found then return tonumber(found) end
  return -1
end
`;

/**
 * Redis does not undo a script's writes when a later command of it fails, so every command that can
 * refuse (GET or ZADD/ZREM on a key of the wrong type) runs before the first SET, which cannot: a
 * refused commit has written nothing, and its request can be answered as failed (protocol-handler.ts).
 *
 * KEYS: 1 guard, 2 applied entry, 3 index, 4.. writes. ARGV: 1 expected revision of the guard,
 * 2 applied JSON ('' for none), 3 its TTL in ms, 4 index member ('' for none), 5 index score ('' removes),
 * 6.. the JSON of each write. Returns {1} when written, {0, current revision} on a conflict.
 */
const COMMIT = `${REVISION_OF}
local current = revision_of(redis.call('GET', KEYS[1]))
if current ~= tonumber(ARGV[1]) then return {0, current} end
if ARGV[4] ~= '' then
  if ARGV[5] == '' then redis.call('ZREM', KEYS[3], ARGV[4]) else redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4]) end
end
for i = 4, #KEYS do redis.call('SET', KEYS[i], ARGV[i + 2]) end
if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) end
return {1}
`;

/** KEYS[1]: the state key. ARGV[1]: the state JSON, ARGV[2]: its revision. Writes unless Redis holds that revision or newer. */
const SET_IF_NEWER = `${REVISION_OF}
local current = redis.call('GET', KEYS[1])
if current and revision_of(current) >= tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

/** One change of an entity's working copy. */
export interface StateCommit {
  /** The record whose revision orders the entity's changes; it must still be at `expectedRevision` (0: absent). */
  readonly guard: { readonly key: string; readonly expectedRevision: number };
  /** Keys to set, the guard's new state among them. */
  readonly writes: readonly { readonly key: string; readonly json: string }[];
  /** A sorted-set entry kept in step with the state (the dispatcher's lease index); a null score removes it. */
  readonly index?: { readonly key: string; readonly member: string; readonly score: number | null };
}

/** What a request sent, kept under its correlation id so that a redelivery re-sends it. */
export interface AppliedEntry {
  readonly key: string;
  readonly json: string;
  readonly ttlMs: number;
}

export type CommitResult = { readonly ok: true } | { readonly ok: false; readonly currentRevision: number };

export async function commitState(redis: Redis, commit: StateCommit, applied: AppliedEntry | null = null): Promise<CommitResult> {
  const { guard, writes, index } = commit;
  const result = (await redis.eval(
    COMMIT, 3 + writes.length,
    guard.key, applied?.key ?? guard.key, index?.key ?? guard.key, ...writes.map((w) => w.key),
    String(guard.expectedRevision), applied?.json ?? '', String(applied?.ttlMs ?? 0),
    index?.member ?? '', index && index.score !== null ? String(index.score) : '',
    ...writes.map((w) => w.json),
  )) as [number, number?];
  return result[0] === 1 ? { ok: true } : { ok: false, currentRevision: Number(result[1]) };
}

/** Queues a replayed state write on a pipeline: it lands only where Redis holds nothing newer. */
export function queueSetIfNewer(pipeline: ReturnType<Redis['pipeline']>, key: string, json: string, revision: number): void {
  pipeline.eval(SET_IF_NEWER, 1, key, json, String(revision));
}
