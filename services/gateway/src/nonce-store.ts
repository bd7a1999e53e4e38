import type { Keyspace, Redis } from '@maestro/state';
import type { NonceReservation } from './domain';

/** Replay protection shared by every gateway replica. */
export interface NonceStore {
  /** True when this call reserved the nonce (first use), false when it was already used. */
  reserve(reservation: NonceReservation): Promise<boolean>;
}

/**
 * One `SET NX PX` per call: a single command is already atomic, so no script is needed. The key
 * lives for the reservation's TTL (twice the timestamp window), after which the timestamp check
 * refuses a replay on its own.
 */
export function createNonceStore(redis: Redis, keys: Keyspace): NonceStore {
  return {
    async reserve({ key, ttlMs }) {
      return (await redis.set(keys.global('gateway', key), '1', 'PX', ttlMs, 'NX')) === 'OK';
    },
  };
}
