/**
 * The Idempotency-Key records, shared by every gateway replica. Reserve-or-get, complete and release
 * are each read-modify-write, so each is one Lua script (HOUSE_STYLE §8). A record is a hash:
 * `hash` (the request's bodyHash), `owner` (a token of the call holding the reservation) and, once the
 * call finished, `response` (the stored `{status, body}` as JSON).
 */
import { randomUUID } from 'node:crypto';
import type { Keyspace, Redis } from '@maestro/state';
import type { IdempotencyRecord, StoredResponse } from './domain';

/*
 * KEYS[1]  the record
 * ARGV[1]  bodyHash of this call
 * ARGV[2]  owner token of this call
 * ARGV[3]  TTL ms of the reservation (bounded by the call's deadline: a crashed replica does not hold a key for a day)
 * Returns  nil when the key was free and is now reserved by ARGV[2];
 *          {hash, response or false} of the record already there otherwise.
 */
const RESERVE = `
local hash = redis.call('HGET', KEYS[1], 'hash')
if hash then
  return {hash, redis.call('HGET', KEYS[1], 'response')}
end
redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'owner', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return nil
`;

/*
 * KEYS[1]  the record
 * ARGV[1]  owner token of the finishing call
 * ARGV[2]  the response as JSON
 * ARGV[3]  TTL ms of the stored response
 * Returns  1 when stored; 0 when the reservation is no longer this call's (it lapsed and another call took the key).
 */
const COMPLETE = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] or redis.call('HEXISTS', KEYS[1], 'response') == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'response', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/*
 * KEYS[1]  the record
 * ARGV[1]  owner token of the call giving its reservation up (its answer was retryable, so a retry must run again)
 * Returns  1 when deleted; 0 when the key is not this call's in-flight reservation.
 */
const RELEASE = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] or redis.call('HEXISTS', KEYS[1], 'response') == 1 then
  return 0
end
return redis.call('DEL', KEYS[1])
`;

/** A reservation held by one call. */
export interface IdempotencyReservation {
  readonly key: string;
  readonly owner: string;
}

/** The atomic operations on Idempotency-Key records. */
export interface IdempotencyStore {
  /** Reserves `scopedKey` for this call (returns `reserved`), or returns the record already there. */
  reserveOrGet(scopedKey: string, bodyHash: string, reservationTtlMs: number): Promise<{ reserved: IdempotencyReservation } | { record: IdempotencyRecord }>;
  complete(reservation: IdempotencyReservation, response: StoredResponse, ttlMs: number): Promise<boolean>;
  release(reservation: IdempotencyReservation): Promise<void>;
}

type Scripts = {
  gatewayIdemReserve(key: string, hash: string, owner: string, ttlMs: number): Promise<[string, string | null] | null>;
  gatewayIdemComplete(key: string, owner: string, response: string, ttlMs: number): Promise<number>;
  gatewayIdemRelease(key: string, owner: string): Promise<number>;
};

export function createIdempotencyStore(redis: Redis, keys: Keyspace): IdempotencyStore {
  redis.defineCommand('gatewayIdemReserve', { numberOfKeys: 1, lua: RESERVE });
  redis.defineCommand('gatewayIdemComplete', { numberOfKeys: 1, lua: COMPLETE });
  redis.defineCommand('gatewayIdemRelease', { numberOfKeys: 1, lua: RELEASE });
  const scripts = redis as unknown as Scripts;
  // The scoped key (idem:<tenant>:<caller>:<key>) is one entity: hash-tagged as a whole.
  const keyOf = (scopedKey: string) => keys.key('gateway', 'idem', scopedKey);

  return {
    async reserveOrGet(scopedKey, bodyHash, reservationTtlMs) {
      const key = keyOf(scopedKey);
      const owner = randomUUID();
      const found = await scripts.gatewayIdemReserve(key, bodyHash, owner, Math.max(1, Math.ceil(reservationTtlMs)));
      if (found === null) return { reserved: { key, owner } };
      const [hash, response] = found;
      return { record: response ? { bodyHash: hash, response: JSON.parse(response) as StoredResponse } : { bodyHash: hash } };
    },
    async complete(reservation, response, ttlMs) {
      return (await scripts.gatewayIdemComplete(reservation.key, reservation.owner, JSON.stringify(response), ttlMs)) === 1;
    },
    async release(reservation) {
      await scripts.gatewayIdemRelease(reservation.key, reservation.owner);
    },
  };
}
