/** The demo's per-run Redis namespaces, against the real Redis: a run clears the others' keys at start and its own at the end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type Redis } from '@maestro/state';
import { clearDemoNamespaces, DEMO_PREFIX_ROOT, demoRedisPrefix } from '../../scripts/demo/redis-namespace';
import { stackEnv, uniquePrefix } from '../support/environment';

let redis: Redis;
// A root of the test's own, so that a demo running beside the tests keeps its keys.
const root = uniquePrefix('demo-ns');
const earlier = demoRedisPrefix(1, root);
const current = demoRedisPrefix(2, root);
const outsider = `${uniquePrefix('not-demo')}healer:cooldown:{a}`;

beforeAll(async () => {
  redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: 'demo-namespace-test' });
  await redis.connect();
});

afterAll(async () => {
  await redis.del(outsider);
  await redis.quit();
});

describe('the demo\'s Redis namespaces', () => {
  it('are per run, under one root', () => {
    expect(demoRedisPrefix(1_796_632_229_181)).toBe(`${DEMO_PREFIX_ROOT}1796632229181:`);
  });

  it('clears an earlier run\'s keys and keeps the current run\'s and everything outside the demo\'s', async () => {
    // More keys than one SCAN step returns, so that the cursor is followed.
    const olds = Array.from({ length: 2_500 }, (_, i) => `${earlier}healer:cooldown:{asset-${i}}`);
    await redis.mset(...olds.flatMap((k) => [k, '1']));
    await redis.set(`${current}healer:cooldown:{asset-0}`, '1');
    await redis.set(outsider, '1');

    expect(await clearDemoNamespaces(stackEnv.REDIS_URL, { keep: current, root })).toBe(olds.length);
    expect(await redis.exists(...olds.slice(0, 100))).toBe(0);
    expect(await redis.get(`${current}healer:cooldown:{asset-0}`)).toBe('1');
    expect(await redis.get(outsider)).toBe('1');

    // At the end of the run, its own namespace goes.
    expect(await clearDemoNamespaces(stackEnv.REDIS_URL, { only: current, root })).toBe(1);
    expect(await redis.get(`${current}healer:cooldown:{asset-0}`)).toBeNull();
    expect(await redis.get(outsider)).toBe('1');
  });
});
