/**
 * A test file's own topics (under a fresh prefix) and a Redis connection, opened before its tests
 * and closed, with the prefix's keys deleted, after them. Call at the top level of a test file.
 */
import { afterAll, beforeAll } from 'vitest';
import type { TopicSpec } from '@maestro/contracts';
import { createKeyspace, createRedis, type Keyspace, type Redis } from '@maestro/state';
import { createTestBus, type TestBus } from './test-bus';
import { stackEnv, uniquePrefix } from './environment';
import { deletePrefixed } from './redis-keys';

export interface BusAndRedis {
  readonly prefix: string;
  readonly keys: Keyspace;
  /** Set once the file's beforeAll has run. */
  readonly bus: TestBus;
  readonly redis: Redis;
}

export function useBusAndRedis(label: string, specs: readonly TopicSpec[]): BusAndRedis {
  const prefix = uniquePrefix(label);
  let bus: TestBus | undefined;
  let redis: Redis | undefined;
  beforeAll(async () => {
    bus = await createTestBus(prefix, specs);
    redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: `${label}-test` });
    await redis.connect();
  });
  afterAll(async () => {
    if (redis) {
      await deletePrefixed(redis, prefix);
      await redis.quit();
    }
    await bus?.close();
  });
  return {
    prefix, keys: createKeyspace(prefix),
    get bus() { return bus!; },
    get redis() { return redis!; },
  };
}
