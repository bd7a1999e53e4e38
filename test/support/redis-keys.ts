import type { Redis } from 'ioredis';

/** Deletes every key under a test's prefix (its working state) and returns how many went. */
export async function deletePrefixed(redis: Redis, prefix: string): Promise<number> {
  const keys = await redis.keys(`${prefix}*`);
  return keys.length ? redis.del(...keys) : 0;
}
