import { beforeAll, describe, expect, it } from 'vitest';
import { isTransient } from '@maestro/bus';
import { ActionHeldError } from '../src/action-handler';
import { createClaims, type Claims } from '../src/claims';
import { useRedis } from '../../../test/support/redis-keys';

const db = useRedis('claims');
let a: Claims;
let b: Claims;

beforeAll(async () => {
  a = createClaims(db.redis, db.keys, { owner: 'exec-a', leaseMs: 1_000, ttlMs: 60_000 });
  b = createClaims(db.redis, db.keys, { owner: 'exec-b', leaseMs: 1_000, ttlMs: 60_000 });
});

describe('executor claims in Redis', () => {
  it('one owner at a time; a lapsed lease is taken over, and the stalled owner can neither renew nor report', async () => {
    const t = Date.now();
    expect(await a.claim('x#0', t)).toEqual({ status: 'claimed' });
    expect(await b.claim('x#0', t + 400)).toEqual({ status: 'held', owner: 'exec-a', remainingMs: 600 });
    expect(await a.renew('x#0', t + 1_500)).toBe(true);
    expect(await b.claim('x#0', t + 1_200)).toEqual({ status: 'held', owner: 'exec-a', remainingMs: 300 });
    expect(await b.claim('x#0', t + 1_600)).toEqual({ status: 'taken_over', runs: 2, previousOwner: 'exec-a' });
    expect(await a.renew('x#0', t + 3_000)).toBe(false);
    expect(await a.finish('x#0', '{"from":"a"}')).toBe(false);
    expect(await b.finish('x#0', '{"from":"b"}')).toBe(true);
  });

  it('a stored result is handed back until it is marked published; then the action is a duplicate', async () => {
    const t = Date.now();
    expect(await a.claim('y#0', t)).toEqual({ status: 'claimed' });
    expect(await a.finish('y#0', '{"status":"succeeded"}')).toBe(true);
    expect(await b.claim('y#0', t + 5_000)).toEqual({ status: 'finished', resultJson: '{"status":"succeeded"}' });
    await b.markPublished('y#0');
    expect(await a.claim('y#0', t + 6_000)).toEqual({ status: 'published' });
    expect(await db.redis.pttl(`${db.prefix}executor:action:{y#0}`)).toBeGreaterThan(50_000);
  });

  it('waiting for another executor is transient for the consumer: retried, never dead-lettered', () => {
    expect(isTransient(new ActionHeldError('exec-b is running it'))).toBe(true);
  });
});
