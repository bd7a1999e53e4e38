/**
 * The gateway's Idempotency-Key records in the real Redis: the Lua scripts that let a retry after
 * 503/504 be sent again with the first attempt's correlation id (so a service that applied it
 * answers with its kept reply), and refuse it once the retry window has closed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createIdempotencyStore, type IdempotencyReservation, type IdempotencyStore } from '../../services/gateway/src/idempotency-store';
import { useRedis } from '../support/redis-keys';

const db = useRedis('idem-store');
let store: IdempotencyStore;
const T0 = 1_700_000_000_000;
const timing = (nowMs: number) => ({ nowMs, leaseMs: 5_000, retryWindowMs: 60_000, ttlMs: 86_400_000 });
let n = 0;
const freshKey = () => `idem:acme:agent:key-${++n}`;

async function reserve(key: string, hash: string, nowMs: number): Promise<IdempotencyReservation> {
  const found = await store.reserveOrGet(key, hash, timing(nowMs));
  if (!('reserved' in found)) throw new Error(`expected a reservation, got ${JSON.stringify(found.record)}`);
  return found.reserved;
}

beforeAll(async () => {
  store = createIdempotencyStore(db.redis, db.keys);
});

describe('the Idempotency-Key store', () => {
  it('gives a retry after an unknown outcome the first attempt\'s correlation id, and the stored response once one answered', async () => {
    const key = freshKey();
    const first = await reserve(key, 'sha256:a', T0);
    expect(first).toMatchObject({ retry: false, firstAtMs: T0 });
    // While the first attempt holds the key, a retry is told to wait.
    expect(await store.reserveOrGet(key, 'sha256:a', timing(T0 + 1_000))).toEqual({ record: { bodyHash: 'sha256:a' } });
    await store.suspend(first);
    const second = await reserve(key, 'sha256:a', T0 + 2_000);
    expect(second).toMatchObject({ retry: true, correlationId: first.correlationId, firstAtMs: T0 });
    // The suspended first attempt can no longer store anything.
    expect(await store.complete(first, { status: 200, body: { result: 'late' } }, 86_400_000)).toBe(false);
    expect(await store.complete(second, { status: 200, body: { result: 'v1' } }, 86_400_000)).toBe(true);
    expect(await store.reserveOrGet(key, 'sha256:a', timing(T0 + 3_000))).toEqual({ record: { bodyHash: 'sha256:a', response: { status: 200, body: { result: 'v1' } } } });
  });

  it('lets a retry take the key over when the attempt holding it died (its lease lapsed), with the same correlation id', async () => {
    const key = freshKey();
    const first = await reserve(key, 'sha256:a', T0);
    const after = await reserve(key, 'sha256:a', T0 + 5_001);
    expect(after.correlationId).toBe(first.correlationId);
    expect(await store.complete(first, { status: 200, body: {} }, 1_000)).toBe(false);
  });

  it('refuses a retry of an unknown outcome once the retry window has closed, and keeps refusing another body', async () => {
    const key = freshKey();
    await store.suspend(await reserve(key, 'sha256:a', T0));
    expect(await store.reserveOrGet(key, 'sha256:a', timing(T0 + 60_001))).toEqual({ record: { bodyHash: 'sha256:a', retryWindowClosed: true } });
    expect(await store.reserveOrGet(key, 'sha256:b', timing(T0 + 2_000))).toEqual({ record: { bodyHash: 'sha256:a' } });
  });

  it('remembers an unknown outcome as long as a response would be kept', async () => {
    const key = freshKey();
    await store.suspend(await reserve(key, 'sha256:a', T0));
    const ttl = await db.redis.pttl(db.keys.key('gateway', 'idem', key));
    expect(ttl).toBeGreaterThan(86_000_000);
  });
});
