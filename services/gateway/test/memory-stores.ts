/** In-memory stand-ins with the same contracts as the gateway's Redis stores, for tests of the HTTP adapter (the Redis ones are exercised in test/gateway and test/protocol). */
import { randomUUID } from 'node:crypto';
import type { StoredResponse } from '../src/domain';
import type { IdempotencyStore } from '../src/idempotency-store';

interface MemoryRecord { bodyHash: string; owner: string; correlationId: string; firstAtMs: number; leaseUntilMs: number; response?: StoredResponse }

export function memoryStores() {
  const nonces = new Set<string>();
  const records = new Map<string, MemoryRecord>();
  const idempotencyStore: IdempotencyStore = {
    async reserveOrGet(key, bodyHash, { nowMs, leaseMs, retryWindowMs }) {
      const found = records.get(key);
      const owner = randomUUID();
      if (!found) {
        const record = { bodyHash, owner, correlationId: randomUUID(), firstAtMs: nowMs, leaseUntilMs: nowMs + leaseMs };
        records.set(key, record);
        return { reserved: { key, owner, correlationId: record.correlationId, firstAtMs: nowMs, retry: false } };
      }
      if (found.response) return { record: { bodyHash: found.bodyHash, response: found.response } };
      if (found.bodyHash !== bodyHash || found.leaseUntilMs > nowMs) return { record: { bodyHash: found.bodyHash } };
      if (nowMs - found.firstAtMs > retryWindowMs) return { record: { bodyHash: found.bodyHash, retryWindowClosed: true } };
      Object.assign(found, { owner, leaseUntilMs: nowMs + leaseMs });
      return { reserved: { key, owner, correlationId: found.correlationId, firstAtMs: found.firstAtMs, retry: true } };
    },
    async complete(r, response) {
      const found = records.get(r.key);
      if (found?.owner !== r.owner || found.response) return false;
      Object.assign(found, { response, leaseUntilMs: 0 });
      return true;
    },
    async suspend(r) {
      const found = records.get(r.key);
      if (found?.owner === r.owner && !found.response) found.leaseUntilMs = 0;
    },
  };
  return { nonces: { reserve: async ({ key }: { key: string }) => (nonces.has(key) ? false : (nonces.add(key), true)) }, idempotencyStore };
}
