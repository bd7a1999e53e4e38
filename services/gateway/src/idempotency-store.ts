/**
 * The Idempotency-Key records, shared by every gateway replica. Reserve-or-get, complete and
 * suspend are each read-modify-write, so each is one Lua script (HOUSE_STYLE §8). A record is a hash:
 * - `hash`: the request's bodyHash;
 * - `cid`: the correlation id every attempt of the call is sent with (the first attempt's), so that
 *   a service that applied an earlier attempt answers a retry with its kept reply;
 * - `firstAtMs`: when the first attempt was reserved (the retry window counts from there);
 * - `owner`, `leaseUntilMs`: the attempt in flight and until when it holds the key (0: none; a
 *   crashed replica's lease lapses on its own);
 * - `response`: once an attempt got an answer a retry would get again, the stored `{status, body}`.
 * An attempt answered 503 or 504 leaves the record without a response and without a lease: the
 * outcome is unknown, and a retry within the window takes the key over and sends the same `cid`.
 */
import { randomUUID } from 'node:crypto';
import type { Keyspace, Redis } from '@maestro/state';
import type { IdempotencyRecord, StoredResponse } from './domain';

/*
 * KEYS[1]  the record
 * ARGV[1]  bodyHash of this call
 * ARGV[2]  owner token of this attempt
 * ARGV[3]  correlation id for the call, used if the key is free
 * ARGV[4]  now, epoch ms
 * ARGV[5]  lease ms: how long this attempt holds the key (the call's deadline plus a margin)
 * ARGV[6]  retry window ms: how long after the first attempt a retry of an unknown outcome is sent again
 * ARGV[7]  TTL ms of the record (the idempotency TTL: an unknown outcome is remembered as long as a response would be)
 * Returns  {'reserved', cid, firstAtMs} when this attempt now holds the key: the key was free
 *            (cid = ARGV[3]), or it is a retry of the same request whose outcome is unknown, within
 *            the window, with no attempt in flight (cid = the first attempt's);
 *          {'record', hash, response or false, state} otherwise, state being 'done', 'in_progress'
 *            or 'window_closed'.
 */
const RESERVE = `
local now = tonumber(ARGV[4])
local r = redis.call('HMGET', KEYS[1], 'hash', 'response', 'cid', 'firstAtMs', 'leaseUntilMs')
if not r[1] then
  redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'owner', ARGV[2], 'cid', ARGV[3], 'firstAtMs', ARGV[4], 'leaseUntilMs', now + tonumber(ARGV[5]))
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
  return {'reserved', ARGV[3], ARGV[4]}
end
if r[2] then return {'record', r[1], r[2], 'done'} end
if r[1] ~= ARGV[1] or tonumber(r[5] or 0) > now then return {'record', r[1], false, 'in_progress'} end
if now - tonumber(r[4] or 0) > tonumber(ARGV[6]) then return {'record', r[1], false, 'window_closed'} end
redis.call('HSET', KEYS[1], 'owner', ARGV[2], 'leaseUntilMs', now + tonumber(ARGV[5]))
return {'reserved', r[3], r[4]}
`;

/*
 * KEYS[1]  the record
 * ARGV[1]  owner token of the finishing attempt
 * ARGV[2]  the response as JSON
 * ARGV[3]  TTL ms of the stored response
 * Returns  1 when stored; 0 when the key is no longer this attempt's (its lease lapsed and a retry took it).
 */
const COMPLETE = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] or redis.call('HEXISTS', KEYS[1], 'response') == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'response', ARGV[2], 'leaseUntilMs', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/*
 * KEYS[1]  the record
 * ARGV[1]  owner token of the attempt whose outcome is unknown (answered 503 or 504)
 * Returns  1 when its lease is given up, so that a retry may take the key at once; 0 when the key is not this attempt's.
 */
const SUSPEND = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] or redis.call('HEXISTS', KEYS[1], 'response') == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'leaseUntilMs', 0)
return 1
`;

/** The key held by one attempt of a call. */
export interface IdempotencyReservation {
  readonly key: string;
  readonly owner: string;
  /** The correlation id every attempt of this call is sent with. */
  readonly correlationId: string;
  /** When the first attempt was reserved. */
  readonly firstAtMs: number;
  /** True when an earlier attempt ended without a known outcome and this one took the key over. */
  readonly retry: boolean;
}

/** Timing of a reservation. */
export interface ReserveOptions {
  readonly nowMs: number;
  /** How long this attempt holds the key: longer than it can wait for its reply. */
  readonly leaseMs: number;
  /** How long after the first attempt a retry of an unknown outcome is sent again (GATEWAY_RETRY_WINDOW_MS). */
  readonly retryWindowMs: number;
  /** How long the record is kept (GATEWAY_IDEMPOTENCY_TTL_MS). */
  readonly ttlMs: number;
}

/** The atomic operations on Idempotency-Key records. */
export interface IdempotencyStore {
  /** Reserves `scopedKey` for this attempt (returns `reserved`), or returns the record there. */
  reserveOrGet(scopedKey: string, bodyHash: string, options: ReserveOptions): Promise<{ reserved: IdempotencyReservation } | { record: IdempotencyRecord }>;
  /** Stores the response a retry gets again. */
  complete(reservation: IdempotencyReservation, response: StoredResponse, ttlMs: number): Promise<boolean>;
  /** Gives the lease up and keeps the record: the attempt's outcome is unknown, a retry sends the same correlation id. */
  suspend(reservation: IdempotencyReservation): Promise<void>;
}

type Scripts = {
  gatewayIdemReserve(key: string, hash: string, owner: string, cid: string, nowMs: number, leaseMs: number, windowMs: number, ttlMs: number): Promise<['reserved', string, string] | ['record', string, string | null, 'done' | 'in_progress' | 'window_closed']>;
  gatewayIdemComplete(key: string, owner: string, response: string, ttlMs: number): Promise<number>;
  gatewayIdemSuspend(key: string, owner: string): Promise<number>;
};

export function createIdempotencyStore(redis: Redis, keys: Keyspace): IdempotencyStore {
  redis.defineCommand('gatewayIdemReserve', { numberOfKeys: 1, lua: RESERVE });
  redis.defineCommand('gatewayIdemComplete', { numberOfKeys: 1, lua: COMPLETE });
  redis.defineCommand('gatewayIdemSuspend', { numberOfKeys: 1, lua: SUSPEND });
  const scripts = redis as unknown as Scripts;
  // The scoped key (idem:<tenant>:<caller>:<key>) is one entity: hash-tagged as a whole.
  const keyOf = (scopedKey: string) => keys.key('gateway', 'idem', scopedKey);
  const ms = (value: number) => Math.max(1, Math.ceil(value));

  return {
    async reserveOrGet(scopedKey, bodyHash, options) {
      const key = keyOf(scopedKey);
      const owner = randomUUID();
      const correlationId = randomUUID();
      const found = await scripts.gatewayIdemReserve(key, bodyHash, owner, correlationId, Math.floor(options.nowMs), ms(options.leaseMs), ms(options.retryWindowMs), ms(options.ttlMs));
      if (found[0] === 'reserved') return { reserved: { key, owner, correlationId: found[1], firstAtMs: Number(found[2]), retry: found[1] !== correlationId } };
      const [, hash, response, state] = found;
      if (response) return { record: { bodyHash: hash, response: JSON.parse(response) as StoredResponse } };
      return { record: { bodyHash: hash, ...(state === 'window_closed' ? { retryWindowClosed: true } : {}) } };
    },
    async complete(reservation, response, ttlMs) {
      return (await scripts.gatewayIdemComplete(reservation.key, reservation.owner, JSON.stringify(response), ms(ttlMs))) === 1;
    },
    async suspend(reservation) {
      await scripts.gatewayIdemSuspend(reservation.key, reservation.owner);
    },
  };
}
