/**
 * Regression: `infra()` turned every Redis failure into a transient InfraError, so a command Redis
 * refuses for good (WRONGTYPE, a script error, OOM) was retried for ever and held the charter's
 * partition. Against the real Redis: refusals are permanent (StoreError), the store being away stays
 * transient, and a refused commit has written nothing.
 */
import { describe, expect, it } from 'vitest';
import { Redis as IORedis, ReplyError } from 'ioredis';
import { commitState, infra, InfraError, isPermanentStoreError, StoreError } from '@maestro/protocol';
import { useRedis } from '../support/redis-keys';

const db = useRedis('store-errors');

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('infra() on Redis failures', () => {
  it('passes a command Redis refuses for good on as a permanent StoreError', async () => {
    const list = db.keys.key('test', 'list', 'a');
    await db.redis.lpush(list, 'x');
    const wrongType = await thrown(infra(db.redis.get(list)));
    expect(wrongType).toBeInstanceOf(StoreError);
    expect((wrongType as Error).message).toMatch(/^WRONGTYPE/);
    expect(await thrown(infra(db.redis.eval("return redis.call('NOSUCHCOMMAND')", 0)))).toBeInstanceOf(StoreError);
    expect(await thrown(infra(db.redis.eval('return nil +', 0)))).toBeInstanceOf(StoreError);
  });

  it('keeps the store being away transient', async () => {
    // Nothing listens on port 1; without the offline queue the command fails at once, as after a disconnect.
    const away = new IORedis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      const error = await thrown(infra(away.get('k')));
      expect(error).toBeInstanceOf(InfraError);
      expect((error as InfraError).transient).toBe(true);
    } finally {
      away.disconnect();
    }
  });

  it.each([
    ['WRONGTYPE Operation against a key holding the wrong kind of value', true],
    ["OOM command not allowed when used memory > 'maxmemory'.", true],
    ['ERR user_script:1: Script attempted to access nonexistent global variable', true],
    ['EXECABORT Transaction discarded because of previous errors.', true],
    ['LOADING Redis is loading the dataset in memory', false],
    ['BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.', false],
    ['READONLY You can\'t write against a read only replica.', false],
    ['MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no', false],
    ['NOAUTH Authentication required.', false],
    ['WRONGPASS invalid username-password pair or user is disabled.', false],
  ])('classifies the reply %j as permanent: %s', (message, permanent) => {
    expect(isPermanentStoreError(new ReplyError(message))).toBe(permanent);
  });

  it('does not take a connection error for a refusal', () => {
    expect(isPermanentStoreError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isPermanentStoreError(new Error('Connection is closed.'))).toBe(false);
  });
});

describe('a commit Redis refuses', () => {
  it('writes nothing, whichever of its keys holds the wrong type', async () => {
    const k = (name: string) => db.keys.key('test', 'commit', name);
    // The lease index holds a string: the script's ZADD is refused, and must come before any SET.
    await db.redis.set(k('index'), 'not a sorted set');
    const refused = await thrown(infra(commitState(db.redis, {
      guard: { key: k('charter'), expectedRevision: 0 },
      writes: [{ key: k('charter'), json: '{"revision":1}' }, { key: k('version'), json: '{"revision":1}' }],
      index: { key: k('index'), member: 'c1', score: 5 },
    }, { key: k('applied'), json: '{}', ttlMs: 60_000 })));
    expect(refused).toBeInstanceOf(StoreError);
    expect(await db.redis.mget(k('charter'), k('version'), k('applied'))).toEqual([null, null, null]);

    // The guard itself of the wrong type: refused before anything.
    await db.redis.lpush(k('guard'), 'x');
    expect(await thrown(infra(commitState(db.redis, { guard: { key: k('guard'), expectedRevision: 0 }, writes: [{ key: k('other'), json: '{"revision":1}' }] })))).toBeInstanceOf(StoreError);
    expect(await db.redis.get(k('other'))).toBeNull();
  });
});
