/** In-memory stand-ins with the same contracts as the gateway's Redis stores, for tests of the HTTP adapter (the Redis ones are exercised in test/protocol and test/gateway). */
import { randomUUID } from 'node:crypto';
import type { IdempotencyRecord, StoredResponse } from '../src/domain';
import type { IdempotencyStore } from '../src/idempotency-store';


export function memoryStores() {
  const nonces = new Set<string>();
  const records = new Map<string, { owner: string } & IdempotencyRecord>();
  const idempotencyStore: IdempotencyStore = {
    async reserveOrGet(key, bodyHash) {
      const found = records.get(key);
      if (found) return { record: found.response ? { bodyHash: found.bodyHash, response: found.response } : { bodyHash: found.bodyHash } };
      const owner = randomUUID();
      records.set(key, { owner, bodyHash });
      return { reserved: { key, owner } };
    },
    async complete(r, response: StoredResponse) {
      const found = records.get(r.key);
      if (found?.owner !== r.owner) return false;
      records.set(r.key, { ...found, response });
      return true;
    },
    async release(r) {
      if (records.get(r.key)?.owner === r.owner) records.delete(r.key);
    },
  };
  return { nonces: { reserve: async ({ key }: { key: string }) => (nonces.has(key) ? false : (nonces.add(key), true)) }, idempotencyStore };
}

