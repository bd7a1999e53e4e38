import { afterAll, beforeAll } from 'vitest';
import { createKeyspace, createRedis, type Keyspace, type Redis } from '@maestro/state';
import { stackEnv, uniquePrefix } from './environment';

/** Deletes every key under a test's prefix (its working state) and returns how many went. */
export async function deletePrefixed(redis: Redis, prefix: string): Promise<number> {
  const keys = await redis.keys(`${prefix}*`);
  return keys.length ? redis.del(...keys) : 0;
}

export interface TestRedis {
  readonly prefix: string;
  readonly keys: Keyspace;
  /** Set once the file's beforeAll has run. */
  readonly redis: Redis;
}

/**
 * A test file's own Redis connection and key prefix, opened before its tests and closed, with the
 * prefix's keys deleted, after them. Call at the top level of a test file, before hooks that use it.
 */
export function useRedis(label: string): TestRedis {
  const prefix = uniquePrefix(label);
  let redis: Redis | undefined;
  beforeAll(async () => {
    redis = createRedis({ url: stackEnv.REDIS_URL, connectionName: `${label}-test` });
    await redis.connect();
  });
  afterAll(async () => {
    if (!redis) return;
    await deletePrefixed(redis, prefix);
    await redis.quit();
  });
  return { prefix, keys: createKeyspace(prefix), get redis() { return redis!; } };
}
